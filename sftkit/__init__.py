"""sftkit: supervised fine-tuning (有监督微调) and data selection (数据选择), taught with Keras 3.

Importing ``sftkit`` is cheap: TensorFlow is imported only by the modules that need it,
and quietly (see ``sftkit._tf``).
"""
__version__ = "0.1.0"

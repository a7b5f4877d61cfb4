"""The old home of training and the workflow, kept so that older scripts and lessons still run.

sftkit now has one module per concept:

* :mod:`sftkit.config`: :class:`TrainConfig` and :class:`LMConfig`, settings that check themselves;
* :mod:`sftkit.finetune`: step 3, :func:`fit_text_classifier`;
* :mod:`sftkit.workflow`: the five steps, :func:`run_workflow`, and the run's report;
* :mod:`sftkit.runs`: where sftkit may write, and writes that are never half done.

Import from those; this module only re-exports their names.
"""
from sftkit.config import TrainConfig
from sftkit.finetune import encode_labels, fit_text_classifier
from sftkit.models import ENCODER_LAYERS
from sftkit.runs import RUN_MARKER
from sftkit.workflow import WorkflowResult, describe_init, describe_pretrained, run_workflow

__all__ = ["TrainConfig", "fit_text_classifier", "encode_labels", "ENCODER_LAYERS", "RUN_MARKER",
           "WorkflowResult", "run_workflow", "describe_pretrained", "describe_init"]

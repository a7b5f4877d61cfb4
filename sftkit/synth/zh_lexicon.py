"""The Chinese lexicon (中文词表) of the bundled Chinese reviews and corpus.

Same design as :mod:`sftkit.synth.lexicon`: the sentiment words are split into **seen**
words (in the labelled splits) and **held-out** words (only in the test split's
``unseen_words`` subset and in the unlabelled pretraining corpus, in the same slots).
Everything else is neutral filler. All lists are tuples: their order is part of the
generator's output.
"""
from __future__ import annotations

# --------------------------------------------------------------------------------------
# Sentiment words. "general" adjectives fit any aspect (质量很好); "use" adjectives follow
# 用起来 (用起来很顺手); "look" adjectives follow 看起来; "feel" words follow 我 (我很满意).
# --------------------------------------------------------------------------------------
SEEN_POS_GENERAL = ("好", "不错", "棒", "结实", "耐用", "扎实", "优质", "舒服", "稳定", "清楚", "实在")
SEEN_NEG_GENERAL = ("差", "糟糕", "烂", "粗糙", "劣质", "脆弱", "一般般", "难受", "松垮", "马虎", "次")
SEEN_POS_USE = ("顺手", "方便", "省心", "流畅", "轻松", "好使")
SEEN_NEG_USE = ("费劲", "麻烦", "卡顿", "别扭", "难用", "吃力")
SEEN_POS_LOOK = ("漂亮", "精致", "大方", "高级", "好看")
SEEN_NEG_LOOK = ("难看", "廉价", "土气", "寒酸", "丑")
SEEN_POS_FEEL = ("满意", "喜欢", "开心", "放心")
SEEN_NEG_FEEL = ("失望", "后悔", "生气", "郁闷")

HELDOUT_POS_ADJ = ("出色", "给力", "靠谱", "完美", "惊艳", "超值", "优秀", "赞")
HELDOUT_NEG_ADJ = ("拉胯", "鸡肋", "垃圾", "坑爹", "闹心", "磕碜", "敷衍", "渣")
HELDOUT_POS_FEEL = ("惊喜", "称心")
HELDOUT_NEG_FEEL = ("窝火", "憋屈")

#: Every held-out sentiment word. Tests check that none occurs in the labelled train
#: or validation texts and that each occurs in the pretraining corpus.
HELDOUT_WORDS = HELDOUT_POS_ADJ + HELDOUT_NEG_ADJ + HELDOUT_POS_FEEL + HELDOUT_NEG_FEEL

#: Degree adverbs (程度副词) before an adjective; 有点 and 有些 only before bad news.
DEGREE = ("很", "非常", "特别", "挺", "超级", "十分", "相当", "比较", "真的很")
DEGREE_NEG_ONLY = ("有点", "有些")

#: Negations of an adjective (否定), applied to good and bad words alike:
#: 不好 is negative, 一点也不差 is positive.
NEGATE_ADJ = ("不", "一点也不", "并不", "不算", "谈不上", "说不上", "没有想象中那么", "不是很", "不太", "没那么")

# Events: things that happened, never negated, one polarity each (some contain 不/没).
POS_EVENTS = (
    "用了两个月一点问题都没有", "第二天就到了", "家里人都说好", "发货特别快", "包装得很仔细",
    "客服回复很及时", "充一次电能用一个星期", "比实体店便宜不少", "尺寸刚刚好", "没有任何异味",
    "安装十分钟就搞定了", "小孩子也会用",
)
NEG_EVENTS = (
    "用了三天就坏了", "收到的时候就是坏的", "充不进电", "洗了一次就掉色了", "客服一直不回消息",
    "少发了一个配件", "味道很大散不掉", "按键没几天就失灵了", "螺丝都没拧紧", "发货等了一个星期",
    "说明书看不懂", "开关总是接触不良",
)
POS_VERDICTS = (
    "五星好评", "强烈推荐", "值得购买", "会回购的", "买对了", "物超所值", "推荐给大家",
    "买了不后悔", "一点都不后悔", "必须好评", "别犹豫了",
)
NEG_VERDICTS = (
    "差评", "不推荐", "不会再买了", "已经退货了", "后悔买了", "千万别买", "浪费钱",
    "别买了", "不值这个价", "别信好评",
)

# Categories: (name, products, aspects). Some products carry Latin letters or digits.
CATEGORIES = (
    ("厨房", ("电水壶", "电饭煲", "保温杯", "炒锅", "榨汁机", "刀具套装", "空气炸锅", "咖啡机"),
     ("内胆", "盖子", "涂层", "手柄", "加热速度", "保温效果", "容量", "噪音")),
    ("数码", ("蓝牙耳机", "充电宝", "鼠标", "键盘", "手机壳", "Type-C数据线", "平板支架", "USB风扇", "iPad保护套"),
     ("音质", "续航", "电池", "按键", "接口", "屏幕", "信号", "充电速度", "连接")),
    ("服装", ("外套", "衬衫", "运动鞋", "牛仔裤", "羽绒服", "帽子", "围巾", "T恤"),
     ("面料", "尺码", "颜色", "版型", "做工", "拉链", "鞋底", "走线")),
    ("家居", ("台灯", "床单", "枕头", "收纳盒", "窗帘", "拖把", "衣架", "加湿器"),
     ("材质", "灯光", "颜色", "大小", "安装", "做工", "手感", "开关")),
    ("书和玩具", ("绘本", "拼图", "积木", "小说", "桌游", "笔记本", "遥控车"),
     ("印刷", "纸张", "故事", "零件", "装订", "内容", "配件")),
    ("户外", ("帐篷", "背包", "登山鞋", "水壶", "睡袋", "折叠椅", "头灯", "雨伞"),
     ("防水", "重量", "背带", "支架", "扣子", "做工", "亮度", "透气性")),
)
GENERIC_ASPECTS = ("质量", "做工", "外观", "包装", "物流", "客服", "性价比", "手感", "细节", "售后")

#: Neutral openers about the purchase (no sentiment words).
PEOPLE = ("妈妈", "爸爸", "老婆", "老公", "孩子", "朋友", "同事", "爷爷", "奶奶", "室友")
DURATIONS = ("一个星期", "两个星期", "半个月", "一个月", "三个月", "半年", "一年")
REASONS = ("因为原来的坏了", "趁着打折", "看了很多评论之后", "为了出差用", "搬家以后", "给新家添置")
COLOURS = ("黑色", "白色", "灰色", "红色", "蓝色", "绿色", "粉色", "银色")

# Neutral prose for the pretraining corpus: weather, cooking, local news, how-to.
CITIES = ("北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安", "南京", "重庆", "长沙", "青岛")
WEATHER = ("晴", "多云", "小雨", "阵雨", "阴", "大风", "小雪", "雷阵雨")
DISHES = ("番茄炒蛋", "红烧肉", "麻婆豆腐", "酸辣土豆丝", "可乐鸡翅", "清蒸鱼", "蛋炒饭", "青椒肉丝", "紫菜蛋花汤")
INGREDIENTS = ("鸡蛋", "番茄", "土豆", "猪肉", "豆腐", "青椒", "大蒜", "生姜", "葱", "米饭", "鸡翅", "鱼")
COOK_STEPS = ("洗干净", "切成小块", "下锅翻炒", "加一点盐", "小火慢炖", "大火烧开", "撒上葱花", "加入酱油", "焯一下水")
NEWS_TOPICS = ("地铁新线路", "社区图书馆", "公园改造", "马拉松比赛", "夜市", "垃圾分类", "老旧小区改造", "公交线路调整")
OFFICIALS = ("市政府", "区政府", "街道办", "交通局", "文化局")
HOWTO_TASKS = ("换灯泡", "清洗洗衣机", "设置路由器", "给自行车打气", "整理衣柜", "备份手机照片", "除去水垢")

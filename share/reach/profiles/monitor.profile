# monitor — 防止返贫监测对象 (乡村振兴).  户编号 groups a household.
source	monitor
label	防止返贫监测对象（乡村振兴）

hh!			户编号 | 户号
head_name		户主姓名
name!			姓名
id!			身份证号码 | 身份证号 | 公民身份号码 | 证件号码
rel			与户主关系 | 关系
mon.kind!		监测对象类别 | 监测类别 | 对象类别
mon.risk		主要风险 | 风险类型 | 致贫返贫风险
mon.income_pc_year	家庭人均纯收入（元/年） | 家庭人均纯收入 | 人均纯收入
mon.cleared		风险是否消除 | 是否消除风险
town			乡镇（街道） | 乡镇 | 街道
village			村（社区） | 村 | 社区

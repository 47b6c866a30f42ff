# visit — 走访排查记录 (村（居）社会救助协理员).
source	visit
label	走访排查记录（社会救助协理员）

vis.last!	走访日期 | 走访时间
vis.by		协理员 | 走访人
town!		乡镇（街道） | 乡镇 | 街道
village!	村（社区） | 村 | 社区
name!		被走访人姓名 | 被走访人 | 姓名
id		身份证号码 | 身份证号 | 公民身份号码
phone		联系电话 | 电话
addr		家庭住址 | 住址
vis.kind	困难类型
vis.urgency	紧急程度
vis.text	情况说明 | 备注

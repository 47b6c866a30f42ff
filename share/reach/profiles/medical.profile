# medical — 医保结算明细 (医疗保障局): one row per settlement.
source	medical
label	医保结算明细（医疗保障局）

med.bill	结算编号 | 结算单号
name!		参保人姓名 | 姓名 | 患者姓名
id!		身份证号码 | 身份证号 | 公民身份号码 | 证件号码
med.scheme	参保类型 | 险种类型
med.hospital	就诊医院 | 医疗机构 | 定点医疗机构
med.admit	入院日期 | 入院时间
med.last!	出院日期 | 出院时间 | 结算日期
med.diag	疾病诊断 | 诊断 | 出院诊断
med.total!	医疗总费用 | 总费用 | 医疗费用总额
med.fund	统筹基金支付 | 基本医保支付
med.major	大病保险支付 | 大病保险
med.aid		医疗救助支付 | 医疗救助
med.oop!	个人自付 | 个人负担 | 个人自付金额

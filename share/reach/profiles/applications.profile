# applications — 社会救助申请记录 (民政).
source	applications
label	社会救助申请记录（民政）

app.no!			申请编号 | 业务编号
name!			申请人姓名 | 申请人 | 姓名
id!			身份证号码 | 身份证号 | 公民身份号码 | 证件号码
app.last!		申请日期 | 申请时间
app.program!		申请类别 | 救助类别
app.result!		审核结果 | 审批结果 | 办理结果
app.reason		不予批准原因 | 未通过原因
app.income_month_pc	家庭月人均收入（元） | 家庭月人均收入
town			乡镇（街道） | 乡镇 | 街道
village			村（社区） | 村 | 社区

# disability — 残疾人信息 (残联).
source	disability
label	残疾人信息（残联）

name!		姓名
id!		身份证号码 | 身份证号 | 公民身份号码 | 证件号码 | 残疾证号
dis.kind!	残疾类别 | 残疾类型
dis.grade!	残疾等级 | 残疾级别
dis.since	发证日期 | 发证时间
dis.selfcare	生活自理能力 | 自理能力
town		乡镇（街道） | 乡镇 | 街道
village		村（社区） | 村 | 社区

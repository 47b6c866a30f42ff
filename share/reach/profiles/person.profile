# person — any list of people (an emergency list, a one-off survey):
# the identity columns under their usual headers.  --profile auto falls
# back to it when no other profile fits; other columns go to "extra".
source	list
label	人员名单

id		身份证号码 | 身份证号 | 公民身份号码 | 证件号码 | 身份证
name!		姓名 | 户主姓名 | 人员姓名 | 被走访人姓名 | 来电人姓名
sex		性别
birth		出生日期 | 出生年月
ethnic		民族
phone		联系电话 | 电话 | 手机号码 | 手机
town		乡镇（街道） | 乡镇 | 街道 | 所属乡镇
village		村（社区） | 村 | 社区 | 所属村（社区）
addr		家庭住址 | 住址 | 地址
hh		户编号 | 户号
rel		与户主关系 | 关系

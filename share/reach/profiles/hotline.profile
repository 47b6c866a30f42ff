# hotline — 社会救助服务热线 / 12345 工单.  Callers often give no ID.
source	hotline
label	社会救助服务热线 / 12345 工单

hot.no!		工单编号 | 工单号
hot.last!	来电时间 | 来电日期 | 受理时间
name		来电人姓名 | 来电人 | 姓名
phone		联系电话 | 来电号码 | 电话
id		身份证号码 | 身份证号 | 公民身份号码
town		所属乡镇 | 乡镇（街道） | 乡镇
village		所属村（社区） | 村（社区） | 村
hot.topic	诉求类别 | 工单类型
hot.text!	诉求内容 | 来电内容 | 反映内容
hot.state	办理状态 | 处理状态

# disaster — 受灾群众排查 (应急管理 / 乡镇).  One row per household.
source	disaster
label	受灾群众排查（应急管理）

dst.kind!	灾害类型
dst.date!	发生日期 | 受灾日期
town!		乡镇（街道） | 乡镇 | 街道
village!	村（社区） | 村 | 社区
name!		户主姓名 | 姓名
id		身份证号码 | 身份证号 | 公民身份号码
dst.size	家庭人口数 | 家庭人口
dst.loss	房屋损失 | 房屋受损情况
dst.relocated	是否转移安置 | 转移安置
phone		联系电话 | 电话

# employment — 就业失业登记 (人力社保局).
source	employment
label	就业失业登记（人力社保局）

name!		姓名
id!		身份证号码 | 身份证号 | 公民身份号码 | 证件号码
emp.status	登记类型
emp.since!	登记日期 | 登记时间
emp.employer	原工作单位 | 工作单位
emp.benefit	是否领取失业保险金 | 领取失业保险金
emp.ins		社保缴费状态 | 缴费状态 | 参保状态
emp.ins_since	中断起始月份 | 中断时间 | 停保时间

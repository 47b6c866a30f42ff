# death — 殡葬火化信息 (民政 / 公安).
source	death
label	殡葬火化信息（民政 / 公安）

name!		姓名 | 死者姓名
id!		身份证号码 | 身份证号 | 公民身份号码
death.date!	死亡日期 | 死亡时间 | 火化日期
town		乡镇（街道） | 乡镇 | 街道

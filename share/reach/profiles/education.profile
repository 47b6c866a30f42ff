# education — 在校学生资助信息 (教育局).
source	education
label	在校学生资助信息（教育局）

name!		学生姓名 | 姓名
id!		身份证号码 | 身份证号 | 公民身份号码
edu.stage!	学段
edu.school	学校 | 学校名称 | 就读学校
edu.fee		年度学杂费（元） | 年度学杂费 | 学杂费
edu.aided	是否已享受资助 | 已享受资助

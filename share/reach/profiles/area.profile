# area — an emergency list that names only places, no people
# (辖区发生疫情灾情等突发事件期间开展集中排查): 乡镇（街道）, 村（社区）,
# 灾害类型, 发生日期.  Each row is an area record; reach match turns it
# into an event on every household it knows in that place.  A row
# without a village covers the whole township.
source	area
label	受灾区域（集中排查）

dst.kind!	灾害类型 | 事件类型 | 突发事件类型
dst.date!	发生日期 | 受灾日期 | 发生时间
town!		乡镇（街道） | 乡镇 | 街道 | 受灾乡镇
village		村（社区） | 村 | 社区 | 受灾村（社区）

# prelude.jq — helpers every reach flag rule can use (reach-rules(5)).
# $as_of is the reference date; $__p holds the params, so that the
# helpers compile whatever params a rules file defines.
# "reads" says which household keys a helper looks at: list them in the
# rule's reads line.

# -- dates ("YYYY-MM-DD") --
# days since 1970-01-01 (civil calendar, no time zone involved); the
# days around $as_of are looked up in $__days, which reach flag gives
# (each tonumber is a JSON parse in jq 1.6, and rules ask often)
def day_number:
  (if type == "string" then $__days[.] else null end) // (
  (.[0:4] | tonumber) as $y0 | (.[5:7] | tonumber) as $m
  | (.[8:10] | tonumber) as $d
  | (if $m <= 2 then $y0 - 1 else $y0 end) as $y
  | ($y / 400 | floor) as $era | ($y - $era * 400) as $yoe
  | (((153 * (if $m > 2 then $m - 3 else $m + 9 end) + 2) / 5 | floor)
     + $d - 1) as $doy
  | $era * 146097 + $yoe * 365 + ($yoe / 4 | floor) - ($yoe / 100 | floor)
    + $doy - 719468);
# whole days from date d to $as_of; null when d is null ($__today is
# $as_of | day_number, given by reach flag: a rule asks it often)
def days_since(d): d as $d
  | if $d == null then null else $__today - ($d | day_number) end;
# whole months from date d to $as_of; null when d is null
def months_since(d): d as $d
  | if $d == null then null else
      (($as_of[0:4] | tonumber) - ($d[0:4] | tonumber)) * 12
      + ($as_of[5:7] | tonumber) - ($d[5:7] | tonumber)
      - (if $as_of[8:10] < $d[8:10] then 1 else 0 end)
    end;
# d is a date no more than n days before $as_of (and not after it)
def within_days(d; n): days_since(d) as $n | $n != null and $n >= 0 and $n <= n;

# -- text and numbers for "why" --
# a sum of money: at most two decimals, no trailing zeros
def yuan: (. * 100 | round) / 100 | tostring;
# a fraction as a percentage: 0.625 → "63%"
def pct: (. * 100 | round | tostring) + "%";
# the string contains one of the words of the array w
def mentions(w): . as $t | type == "string" and any(w[]; . as $w | $t | contains($w));

# -- a member (input: one element of .members) --
# age in whole years at $as_of: .age, else from .birth
def age: .age // (if .birth then months_since(.birth) / 12 | floor else null end);
def dead: .death != null;
# disability grade 1–2, or grade 1–3 intellectual or mental
def severe_dis: (.dis.grade // 9) as $g
  | $g <= 2 or ($g <= 3 and any(.dis.kind[]?; . == "intellectual" or . == "mental"));
def unable_work: age as $a | ($a != null and ($a >= 60 or $a < 16)) or severe_dis;
def working_age: age as $a | $a != null and $a >= 16 and $a < 60;
# gravely ill: reach match found a diagnosis of a 重特大疾病 that is not a
# sequela (med.serious; the words are in reach-match(1))
def grave_ill: .med.serious == true;
# a member's name for a sentence
def who: .name // "（姓名不详）";

# -- the household (input: the household) --
# members matching f, as an array (reads members)
def members(f): [.members[]? | select(f)];
# names of members matching f, joined by 、 (reads members)
def names(f): [.members[]? | select(f) | who] | join("、");
# a count from reach match's "counts", 0 when absent (reads counts)
def count(k): .counts[k] // 0;
# best known monthly income per person, null when unknown (reads income_pc_month)
def income_pc: .income_pc_month;
# the household's yearly income: prog.hh_income_year, else from
# income_pc and size (reads prog, income_pc_month, size)
def income_year: .prog.hh_income_year //
  (if .income_pc_month != null then .income_pc_month * 12 * (.size // 1) else null end);
# urban: in a 街道 or a 社区 (reads urban)
def urban: .urban == true;
def area: if urban then "城市" else "农村" end;
# the local dibao standard, 元/人/月 (reads urban)
def dibao: if urban then $__p.dibao_urban else $__p.dibao_rural end;
# the 低保边缘 line: dibao × edge_factor (reads urban)
def edge_line: dibao * $__p.edge_factor;
# enrolled in programme k: dibao tekun edge monitor zhichu (reads prog)
# (contains, not any/2 or index: in jq 1.6 any/2 builds an array and
# index leaks; contains matches substrings, and no code is part of another)
def enrolled(k): (.prog.kind // []) | contains([k]);
# on dibao or tekun: basic living already assured (reads prog)
def assisted: (.prog.kind // []) | contains(["dibao"]) or contains(["tekun"]);
# on any low-income programme, or on the monitoring list (a household
# whose risk was marked cleared stays on it, and relapses easily)
# (reads prog, mon)
def low_income: (.prog.kind // [] | length > 0) or .mon != null;
# income known and under the edge line (reads income_pc_month, urban)
def under_edge: .income_pc_month != null and .income_pc_month < edge_line;
# the 12-month medical out-of-pocket is a large burden: at least
# $med_oop_low_income for a low-income household (on a programme,
# monitored, or income under the edge line), $med_oop_other for any
# other, or $med_share of the yearly income (reads med, prog, mon,
# income_pc_month, urban, size)
def med_burden: (.med.oop // 0) as $o | income_year as $y
  | $o > 0 and ($o >= (if low_income or under_edge
      then $__p.med_oop_low_income else $__p.med_oop_other end)
    or ($y != null and $y > 0 and $o >= $__p.med_share * $y));
# a call to the hotline asking for help (求助; a 咨询, 投诉 or 建议 is
# no sign of need) in the last $report_days days (reads hot)
def help_call: any(.hot.topic[]?; . == "help") and within_days(.hot.last; $__p.report_days);
# a visit that found a difficulty: 较急 or 紧急, or a difficulty of
# illness, disability, no labour or no carer (a visit that found the
# family well is 一般 and 其他) in the last $report_days days (reads vis)
def need_visit: within_days(.vis.last; $__p.report_days)
  and (.vis.urgency == "soon" or .vis.urgency == "urgent"
    or any(.vis.kind[]?; . == "illness" or . == "disability"
      or . == "no_labour" or . == "no_carer"));
# a sign that the household needs help (reads income_pc_month, urban,
# med, prog, mon, size, hot, vis)
def need_signal: under_edge or med_burden or help_call or need_visit;
# what makes need_signal true, as words for "why"
def signal_text:
  [ (if under_edge then "月人均收入\(.income_pc_month | yuan)元" else empty end),
    (if med_burden then "近12个月自付医疗费\(.med.oop | yuan)元" else empty end),
    (if help_call then "曾来电求助" else empty end),
    (if need_visit then "协理员走访反映困难" else empty end) ] | join("，");
# a working-age member who lost work or social insurance lately
def lost_work: (dead | not) and working_age
  and ((.emp.status == "unemployed" and within_days(.emp.since; $__p.job_loss_days))
    or ((.emp.ins == "stopped" or .emp.ins == "interrupted")
        and within_days(.emp.ins_since; $__p.job_loss_days)));
def lost_work_text: if .emp.status == "unemployed" then "\(.emp.since)起失业"
  else "\(.emp.ins_since)起社保\(if .emp.ins == "stopped" then "停保" else "中断" end)" end;
# a disaster kind in Chinese
def disaster_name: {"flood": "洪涝", "geological": "地质灾害", "fire": "火灾",
  "epidemic": "疫情", "drought": "旱灾", "storm": "风雹", "snow": "雪灾",
  "earthquake": "地震"}[.] // .;
# the latest line of a call or note (text may be an array of them)
def latest_text: if type == "array" then .[-1] // "" else . // "" end;

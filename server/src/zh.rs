//! Problems said in Chinese for the administrator's console: the reasons the
//! checks give in English, rendered phrase by phrase. A reason no rule knows keeps
//! its English after a Chinese lead, so nothing is ever lost in translation.

use crate::error::Problem;

/// A layer or parent kind's Chinese name.
fn noun(english: &str) -> &str {
    match english {
        "district" => "城区",
        "street" | "streets" => "街道",
        "community" | "communities" => "社区",
        "grid" | "grids" => "网格",
        "compound" | "compounds" => "小区",
        "building" | "buildings" => "楼栋",
        "site" | "sites" => "站点",
        "worker" | "workers" => "网格员",
        other => other,
    }
}

/// Without backquotes.
fn quoted(s: &str) -> String {
    s.trim_matches('`').to_owned()
}

/// Renders what follows a known English prefix.
type Render = dyn Fn(&str) -> String;

/// `reason` in Chinese.
pub fn reason(reason: &str) -> String {
    let reason = reason.trim();
    if let Some(rest) = reason.strip_prefix("row ")
        && let Some((row, rest)) = rest.split_once(": ")
    {
        return format!("第 {row} 行：{}", self::reason(rest));
    }
    // serde_json's position suffix: " at line 1 column 2".
    if let Some((head, place)) = reason.rsplit_once(" at line ")
        && let Some((line, column)) = place.split_once(" column ")
        && line.parse::<u64>().is_ok()
        && column.parse::<u64>().is_ok()
    {
        return format!("{}（第 {line} 行第 {column} 列）", self::reason(head));
    }
    if let Some(rest) = reason.strip_prefix("property `")
        && let Some((field, rest)) = rest.split_once("`: ")
    {
        return format!("字段 {field}：{}", self::reason(rest));
    }
    if let Some((head, area)) = reason.split_once(": ")
        && area.ends_with(" m²")
        && !head.contains(": ")
    {
        let area = area
            .replace(" in ", "，共 ")
            .replace(" pieces, the largest ", " 块，最大 ");
        return format!("{}（{area}）", self::reason(head));
    }
    let rules: [(&str, &Render); 40] = [
        ("missing field ", &|r| format!("缺少必填字段 {}", quoted(r))),
        ("unknown variant ", &|r| match r.split_once(", expected ") {
            Some((value, allowed)) => format!(
                "{} 不是可用的取值，可用：{}",
                quoted(value),
                allowed.trim_start_matches("one of ").replace('`', "")
            ),
            None => format!("{} 不是可用的取值", quoted(r)),
        }),
        ("invalid type: ", &|r| match r.split_once(", expected ") {
            Some((got, want)) => format!("类型不对：应为 {want}，实际为 {got}"),
            None => format!("类型不对：{r}"),
        }),
        ("invalid value: ", &|r| format!("取值无效：{r}")),
        ("unknown id ", &|r| format!("引用的编号 {r} 不存在")),
        ("duplicate id ", &|r| format!("编号 {r} 重复")),
        ("the site is outside the district's land", &|_| {
            "站点不在芝罘区陆域范围内".to_owned()
        }),
        ("outside the district's land", &|_| {
            "不在芝罘区陆域范围内".to_owned()
        }),
        ("outside its ", &|r| match r.split_once(' ') {
            Some((kind, id)) => format!("超出所属{} {id} 的范围", noun(kind)),
            None => format!("超出所属范围：{r}"),
        }),
        ("in none of its ", &|r| {
            format!("有部分不属于任何{}（空隙）", noun(r))
        }),
        ("in no street", &|_| "有部分不属于任何街道".to_owned()),
        ("overlaps ", &|r| format!("与 {r} 重叠")),
        ("invalid polygon", &|r| format!("多边形无效{r}")),
        ("expected a whole number, got ", &|r| {
            format!("应为整数，实际为 {r}")
        }),
        ("expected a number, got ", &|r| {
            format!("应为数字，实际为 {r}")
        }),
        ("expected true or false, got ", &|r| {
            format!("应为“是”或“否”，实际为 {r}")
        }),
        ("not JSON", &|r| format!("不是有效的 JSON{r}")),
        ("not CSV", &|r| format!("不是有效的 CSV 文件{r}")),
        ("not a spreadsheet", &|r| format!("不是有效的电子表格{r}")),
        ("not WKT", &|r| format!("不是有效的 WKT 几何{r}")),
        ("a shapefile needs its ", &|r| {
            format!("Shapefile 缺少同名的 {r}")
        }),
        ("no coordinates and no address", &|_| {
            "既无坐标也无地址，无法落点".to_owned()
        }),
        ("unknown site kind ", &|r| format!("未知的站点类型 {r}")),
        ("must be an object", &|_| "应为 JSON 对象".to_owned()),
        ("must be a JSON object", &|_| "应为 JSON 对象".to_owned()),
        ("ids are given by the server", &|_| {
            "编号由系统生成，不能指定".to_owned()
        }),
        ("no other site ", &|r| format!("没有另一个站点 {r}")),
        ("not a phone number", &|_| {
            "不是有效的电话号码：手机号为 1 开头的 11 位数字，固定电话为区号加 7 或 8 位号码"
                .to_owned()
        }),
        ("a name cannot be empty", &|_| "姓名不能为空".to_owned()),
        ("a name has at most 40 characters", &|_| {
            "姓名最多 40 个字符".to_owned()
        }),
        ("another import is running", &|_| {
            "另一个导入正在进行，请待其完成后再提交".to_owned()
        }),
        ("more than ", &|r| match r.split_once(" rows") {
            Some((n, _)) => format!("超过 {n} 行，请拆分文件"),
            None => match r.split_once(" MiB") {
                Some((n, _)) => format!("超过 {n} MiB"),
                None => format!("超过上限：{r}"),
            },
        }),
        ("a cell beyond column ", &|r| match r.split_once(" (row ") {
            Some((col, row)) => {
                format!("第 {} 行有单元格超出第 {col} 列", row.trim_end_matches(')'))
            }
            None => format!("有单元格超出第 {r} 列"),
        }),
        ("the archive unpacks to more than ", &|r| {
            format!("压缩包解压后超过 {}", r.replace(" MiB", " MiB，请拆分"))
        }),
        ("unknown member", &|_| {
            "不认识的字段（不会被保存，请删去）".to_owned()
        }),
        ("contains a NUL character", &|_| {
            "含有 NUL 字符（U+0000），无法保存".to_owned()
        }),
        ("derived from where the site stands (", &|r| {
            format!(
                "由站点所在位置自动确定（{}），不能指定",
                r.trim_end_matches(", not given").trim_end_matches(')')
            )
        }),
        ("not a longitude and latitude: ", &|r| {
            format!("{r} 不是有效的经纬度")
        }),
        ("a gate needs a compound_id", &|_| {
            "指定小区门时需给出所属小区 compound_id".to_owned()
        }),
        ("no gate ", &|r| match r.split_once(" of compound ") {
            Some((gate, rest)) => {
                let (id, count) = rest.split_once(" (it has ").unwrap_or((rest, ""));
                let count = count.trim_end_matches(')');
                format!("小区 {id} 没有第 {gate} 号门（共 {count} 个，从 0 起数）")
            }
            None => format!("没有这个小区门：{r}"),
        }),
    ];
    for (prefix, render) in rules {
        if let Some(rest) = reason.strip_prefix(prefix) {
            return render(rest);
        }
    }
    let ids: [(&str, &str); 4] = [
        ("no grid ", "网格"),
        ("no community ", "社区"),
        ("no street ", "街道"),
        ("no site ", "站点"),
    ];
    for (prefix, what) in ids {
        if let Some(id) = reason.strip_prefix(prefix) {
            return format!("没有{what} {id}");
        }
    }
    if let Some(point) = reason.strip_suffix(" is outside the district's land") {
        return format!("{point} 不在芝罘区陆域范围内");
    }
    format!("数据有误：{reason}")
}

/// The whole problem in Chinese: which file, which record, which field, and why.
pub fn problem(p: &Problem) -> String {
    let mut at = p.file.clone();
    if let Some(rest) = p.file.strip_prefix("stored ")
        && let Some((layer, id)) = rest.split_once(' ')
    {
        at = format!("已存的{} {id}", noun(layer));
    }
    if let Some(index) = p.index {
        at = format!("{at} 第 {} 条", index + 1);
    }
    if let Some(field) = &p.field {
        at = format!("{at}（字段 {field}）");
    }
    format!("{at}：{}", reason(&p.reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_checks_reasons() {
        let cases = [
            ("missing field `name`", "缺少必填字段 name"),
            (
                "missing field `name` at line 1 column 2",
                "缺少必填字段 name（第 1 行第 2 列）",
            ),
            (
                "unknown variant `shop`, expected one of `station`, `alliance`",
                "shop 不是可用的取值，可用：station, alliance",
            ),
            (
                "property `grid_id`: unknown id G9",
                "字段 grid_id：引用的编号 G9 不存在",
            ),
            (
                "property `entrance`: no gate 4 of compound CP12 (it has 2)",
                "字段 entrance：小区 CP12 没有第 4 号门（共 2 个，从 0 起数）",
            ),
            (
                "a cell beyond column 256 (row 1048576)",
                "第 1048576 行有单元格超出第 256 列",
            ),
            (
                "more than 200000 rows: split the file",
                "超过 200000 行，请拆分文件",
            ),
            (
                "row 4: expected a whole number, got \"many\"",
                "第 4 行：应为整数，实际为 \"many\"",
            ),
            (
                "outside its community C1: 980.5 m²",
                "超出所属社区 C1 的范围（980.5 m²）",
            ),
            (
                "overlaps G2: 12.0 m² in 3 pieces, the largest 9.1 m²",
                "与 G2 重叠（12.0 m²，共 3 块，最大 9.1 m²）",
            ),
            ("no grid G77", "没有网格 G77"),
            ("something new", "数据有误：something new"),
        ];
        for (english, chinese) in cases {
            assert_eq!(reason(english), chinese, "{english}");
        }
    }

    #[test]
    fn names_where() {
        let p = Problem::feature("sites.csv", 2, "missing field `kind`").with_field("kind");
        assert_eq!(
            problem(&p),
            "sites.csv 第 3 条（字段 kind）：缺少必填字段 kind"
        );
        let stored = Problem::file("stored grids G1", "overlaps G2: 1.0 m²");
        assert_eq!(problem(&stored), "已存的网格 G1：与 G2 重叠（1.0 m²）");
    }
}

//! The PHP SDK (`yuansfer/yuansfer-php-sdk`): one class per endpoint under `src/Api/`.
//! `getPath()` returns the path; the constructor's `addRequired(array(…))` lists what `send()`
//! refuses to go without (a nested `array(…)` is "one of"); what it can send is what
//! `addCallable(array(…))` lets the magic `__call` set, what explicit setters pass to
//! `setParams('name', …)` or write into `$this->params['name']`, and what `paramsHook` always adds.
//! `@method setX` docblocks only document; a name they give that nothing can set is recorded with
//! a `bug`. Subclasses (`YipSecurePayVault extends YipSecurePay`) share their parent's path and are
//! merged into its entry. The body travels as a form.

use std::collections::BTreeMap;
use std::path::Path;

use super::{
    Endpoint, Field, Syntax, Text, add_field, block_after, depth_at, enclosing_ifs, find_all,
    ident_at, list_files, matching, quoted, read_text,
};

const SYNTAX: Syntax = Syntax {
    slash: true,
    hash: true,
    triple: false,
    backtick: false,
};

/// Classes whose path is another class's: the path their name means, and why.
const MISROUTED: &[(&str, &str, &str)] = &[(
    "PayeeAddBank",
    "/v3/payee/account/create/bank-account",
    "getPath() is PayeeUpdate's (itself missing the v), yet the class adds a bank account",
)];

/// Reads `src/Api/*.php` under `dir`.
pub(crate) fn extract(dir: &Path) -> Result<Vec<Endpoint>, String> {
    let mut texts = Vec::new();
    for rel in list_files(dir, "src/Api", "php")? {
        texts.push(read_text(dir, &rel, SYNTAX)?);
    }
    parse(&texts)
}

/// One place a name appears, as (wire, offset).
type Spot = (String, usize);

#[derive(Default)]
struct Class {
    name: String,
    parent: Option<String>,
    file: usize,
    offset: usize,
    path: Option<Spot>,
    /// Unconditional single requirements.
    required: Vec<Spot>,
    /// "One of" groups.
    groups: Vec<Vec<Spot>>,
    /// Requirements added later by a method, with the condition.
    conditional: Vec<(Spot, String)>,
    callable: Vec<Spot>,
    setters: Vec<Spot>,
    hooked: Vec<Spot>,
    documented: Vec<Spot>,
}

/// Extracts the endpoints from the files of `src/Api/`.
pub(crate) fn parse(texts: &[Text]) -> Result<Vec<Endpoint>, String> {
    let form = texts
        .iter()
        .any(|t| t.code.contains("Request::post($url, $params, 'form')"));
    let mut classes: BTreeMap<String, Class> = BTreeMap::new();
    for (file, t) in texts.iter().enumerate() {
        if let Some(class) = class(t, file)? {
            classes.insert(class.name.clone(), class);
        }
    }
    let mut endpoints: Vec<(Vec<String>, Endpoint)> = Vec::new();
    for class in classes.values() {
        let chain = chain(&classes, &class.name);
        let Some(path) = chain.iter().rev().find_map(|c| {
            classes
                .get(c)
                .and_then(|k| k.path.as_ref().map(|p| p.0.clone()))
        }) else {
            continue;
        };
        let Some(t) = texts.get(class.file) else {
            continue;
        };
        let mut e = Endpoint {
            name: class.name.clone(),
            path: path.clone(),
            at: t.at(class.offset),
            encoding: form.then_some("form"),
            ..Endpoint::default()
        };
        if let Some((_, means, how)) = MISROUTED.iter().find(|(n, _, _)| *n == class.name) {
            e.means = Some((means.to_string(), how.to_string()));
        }
        e.request = fields(&classes, &chain, texts);
        endpoints.push((chain, e));
    }
    Ok(merge_subclasses(endpoints))
}

/// The class and its ancestors among `classes`, ancestors first.
fn chain(classes: &BTreeMap<String, Class>, name: &str) -> Vec<String> {
    let mut chain = vec![name.to_string()];
    let mut current = name.to_string();
    while let Some(parent) = classes.get(&current).and_then(|c| c.parent.clone()) {
        if !classes.contains_key(&parent) || chain.contains(&parent) {
            break;
        }
        chain.push(parent.clone());
        current = parent;
    }
    chain.reverse();
    chain
}

/// The request fields of a class with its ancestors.
fn fields(classes: &BTreeMap<String, Class>, chain: &[String], texts: &[Text]) -> Vec<Field> {
    let members: Vec<&Class> = chain.iter().filter_map(|c| classes.get(c)).collect();
    let at = |c: &Class, offset: usize| texts.get(c.file).map(|t| t.at(offset)).unwrap_or_default();
    let sendable = |wire: &str| {
        members.iter().any(|c| {
            c.callable
                .iter()
                .chain(&c.setters)
                .chain(&c.hooked)
                .any(|(w, _)| w == wire)
        })
    };
    let mut spots: Vec<(&Class, &Spot)> = Vec::new();
    for c in &members {
        let mut own: Vec<&Spot> = c
            .callable
            .iter()
            .chain(&c.setters)
            .chain(&c.hooked)
            .chain(&c.required)
            .chain(c.groups.iter().flatten())
            .chain(c.conditional.iter().map(|(s, _)| s))
            .chain(&c.documented)
            .collect();
        own.sort_by_key(|(_, offset)| *offset);
        spots.extend(own.into_iter().map(|s| (*c, s)));
    }
    let mut out: Vec<Field> = Vec::new();
    // The first place that lets the class send the name is its citation; a requirement alone is
    // cited only when nothing can send the name.
    for (c, (wire, offset)) in &spots {
        if out.iter().any(|f| &f.wire == wire) {
            continue;
        }
        let can = sendable(wire);
        let gives = c
            .callable
            .iter()
            .chain(&c.setters)
            .chain(&c.hooked)
            .any(|(w, o)| w == wire && o == offset);
        if can && !gives {
            continue;
        }
        let mut f = Field::optional(wire, at(c, *offset));
        if !can {
            let required = members
                .iter()
                .any(|m| m.required.iter().any(|(w, _)| w == wire));
            f.bug = Some(if required {
                format!(
                    "addRequired lists it, but no setter or callable sends it: send() throws \
                     unless the caller uses the generic setParams('{wire}', …)"
                )
            } else {
                let setter = setter_name(wire);
                format!(
                    "a @method docblock names {setter}(), but {wire} is not callable and no \
                     method sets it: __call throws BadMethodCallException"
                )
            });
        }
        out.push(f);
    }
    for c in &members {
        for (wire, offset) in &c.required {
            add_field(&mut out, required(wire, at(c, *offset)));
        }
        for (wire, offset) in &c.hooked {
            add_field(&mut out, required(wire, at(c, *offset)));
        }
        for group in &c.groups {
            let names: Vec<&str> = group.iter().map(|(w, _)| w.as_str()).collect();
            for (wire, offset) in group {
                let mut f = Field::optional(wire, at(c, *offset));
                f.when = Some(format!("one of {} is required", names.join(", ")));
                add_field(&mut out, f);
            }
        }
        for ((wire, offset), when) in &c.conditional {
            let mut f = Field::optional(wire, at(c, *offset));
            f.when = Some(when.clone());
            add_field(&mut out, f);
        }
    }
    out
}

fn required(wire: &str, at: String) -> Field {
    Field {
        requires: true,
        ..Field::optional(wire, at)
    }
}

fn setter_name(wire: &str) -> String {
    let mut chars = wire.chars();
    match chars.next() {
        Some(first) => format!("set{}{}", first.to_ascii_uppercase(), chars.as_str()),
        None => "set".to_string(),
    }
}

/// Folds a subclass that keeps its parent's path into the parent's entry: what only the subclass
/// sends is optional there, with the subclass named in `when` when it requires it.
fn merge_subclasses(endpoints: Vec<(Vec<String>, Endpoint)>) -> Vec<Endpoint> {
    let mut kept: Vec<(Vec<String>, Endpoint)> = Vec::new();
    let mut subclasses: Vec<(Vec<String>, Endpoint)> = Vec::new();
    for (chain, e) in endpoints {
        // Only classes with a path become entries, so a class with an ancestor in the chain
        // inherits from an entry.
        if chain.len() > 1 {
            subclasses.push((chain, e));
        } else {
            kept.push((chain, e));
        }
    }
    subclasses.sort_by_key(|(chain, _)| chain.len());
    for (chain, sub) in subclasses {
        let target = kept
            .iter_mut()
            .find(|(c, e)| e.path == sub.path && c.last().is_some_and(|name| chain.contains(name)));
        match target {
            Some((_, base)) => {
                for f in sub.request {
                    if base.request.iter().any(|b| b.wire == f.wire) {
                        continue;
                    }
                    let when = f
                        .requires
                        .then(|| format!("required by the subclass {} ({})", sub.name, sub.at));
                    base.request.push(Field {
                        requires: false,
                        when: when.or(f.when),
                        ..f
                    });
                }
            }
            None => kept.push((chain, sub)),
        }
    }
    kept.into_iter().map(|(_, e)| e).collect()
}

/// Reads one file's class, or `None` when the file holds none that extends another.
fn class(t: &Text, file: usize) -> Result<Option<Class>, String> {
    let code = &t.code;
    let Some(decl) = find_all(code, "class ").into_iter().find(|&i| {
        let before = code.as_bytes().get(i.wrapping_sub(1)).copied();
        before.is_none_or(|b| b.is_ascii_whitespace()) && i < code.len()
    }) else {
        return Ok(None);
    };
    let name = ident_at(code, decl + "class ".len()).to_string();
    let after = code.get(decl..).unwrap_or("");
    let header = after.split('{').next().unwrap_or("");
    let parent = header
        .find("extends ")
        .map(|i| ident_at(header, i + "extends ".len()).to_string());
    let Some(parent) = parent else {
        return Ok(None);
    };
    if name.is_empty() {
        return Err(t.error(decl, "a class without a name"));
    }
    let mut class = Class {
        name,
        parent: Some(parent),
        file,
        offset: decl,
        ..Class::default()
    };
    for (offset, line) in t.raw.match_indices("@method").map(|(i, _)| {
        let rest = t.raw.get(i..).unwrap_or("");
        (i, rest.split('\n').next().unwrap_or(""))
    }) {
        if let Some(set) = line.find(" set") {
            let name = ident_at(line, set + 4);
            if !name.is_empty() {
                class.documented.push((lcfirst(name), offset));
            }
        }
    }
    for func in find_all(code, "function ") {
        let name = ident_at(code, func + "function ".len()).to_string();
        let Some(paren) = code.get(func..).and_then(|r| r.find('(')).map(|i| func + i) else {
            continue;
        };
        let Some(close) = matching(code, paren) else {
            return Err(t.error(func, &format!("function {name}: unclosed parameter list")));
        };
        let has_body = code
            .get(close + 1..)
            .is_some_and(|r| r.trim_start().starts_with('{'));
        if !has_body {
            continue;
        }
        let (open, end) = block_after(code, close)
            .ok_or_else(|| t.error(func, &format!("function {name}: unclosed body")))?;
        let body = code.get(open..end).unwrap_or("");
        method(t, &mut class, &name, open, end, body)?;
    }
    Ok(Some(class))
}

fn lcfirst(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => format!("{}{}", first.to_ascii_lowercase(), chars.as_str()),
        None => String::new(),
    }
}

/// What one method says: the path, requirements, callables, and what it writes.
fn method(
    t: &Text,
    class: &mut Class,
    name: &str,
    open: usize,
    end: usize,
    body: &str,
) -> Result<(), String> {
    let code = &t.code;
    if name == "getPath" {
        if let Some((offset, path)) = body.find("return").and_then(|r| {
            quoted(body.get(r..).unwrap_or(""))
                .into_iter()
                .next()
                .map(|q| (r + q.0, q.1))
        }) {
            class.path = Some((path, open + offset));
        }
        return Ok(());
    }
    for call in find_all(body, "addRequired(") {
        let paren = open + call + "addRequired".len();
        let close = matching(code, paren).ok_or_else(|| t.error(paren, "unclosed addRequired("))?;
        let (singles, groups) = names(code, paren, close);
        if name == "__construct" {
            class.required.extend(singles);
            class.groups.extend(groups);
        } else {
            let conds = enclosing_ifs(code, open, end, paren);
            let when = if conds.is_empty() {
                format!("required once {name}() has run")
            } else {
                format!(
                    "required once {name}() has run with {}",
                    conds.join(" and ")
                )
            };
            for s in singles.into_iter().chain(groups.into_iter().flatten()) {
                class.conditional.push((s, when.clone()));
            }
        }
    }
    for call in find_all(body, "addCallable(") {
        let paren = open + call + "addCallable".len();
        let close = matching(code, paren).ok_or_else(|| t.error(paren, "unclosed addCallable("))?;
        let (singles, groups) = names(code, paren, close);
        class
            .callable
            .extend(singles.into_iter().chain(groups.into_iter().flatten()));
    }
    for call in find_all(body, "setParams(") {
        let at = call + "setParams(".len();
        if let Some((q, wire)) = quoted(body.get(at..).unwrap_or("")).into_iter().next()
            && q == 0
        {
            class.setters.push((wire, open + at));
        }
    }
    let hook = name == "paramsHook";
    let target = if hook { "$params['" } else { "$this->params['" };
    for write in find_all(body, target) {
        let start = write + target.len() - 1;
        let Some((_, wire)) = quoted(body.get(start..).unwrap_or("")).into_iter().next() else {
            continue;
        };
        let after = body
            .get(start + wire.len() + 2..)
            .unwrap_or("")
            .trim_start()
            .strip_prefix(']')
            .unwrap_or("")
            .trim_start();
        let assigns = after.starts_with('=') && !after.starts_with("==");
        if !assigns {
            continue;
        }
        if hook {
            // Only a write at the top of the hook happens on every send.
            if depth_at(code, open, open + write) == 0 {
                class.hooked.push((wire, open + write));
            }
        } else {
            class.setters.push((wire, open + write));
        }
    }
    Ok(())
}

/// The names in `addRequired(…)`/`addCallable(…)` between `paren` and `close`: single names, and
/// groups from nested `array(…)`.
fn names(code: &str, paren: usize, close: usize) -> (Vec<Spot>, Vec<Vec<Spot>>) {
    let mut singles = Vec::new();
    let mut groups = Vec::new();
    let inner = code.get(paren + 1..close).unwrap_or("");
    // `addRequired(array('a', array('b', 'c')))`: step into the outer array, if any.
    let (base, inner) = match inner.trim_start().strip_prefix("array") {
        Some(rest) if rest.trim_start().starts_with('(') => {
            let start = paren + 1 + inner.find("array").unwrap_or(0);
            let open = start + code.get(start..).and_then(|r| r.find('(')).unwrap_or(0);
            let end = matching(code, open).unwrap_or(close);
            (open + 1, code.get(open + 1..end).unwrap_or(""))
        }
        _ => (paren + 1, inner),
    };
    let mut i = 0;
    while i < inner.len() {
        let rest = inner.get(i..).unwrap_or("");
        if rest.starts_with("array") {
            let Some(open) = rest.find('(').map(|o| base + i + o) else {
                break;
            };
            let Some(end) = matching(code, open) else {
                break;
            };
            let group: Vec<Spot> = quoted(code.get(open..end).unwrap_or(""))
                .into_iter()
                .map(|(o, w)| (w, open + o))
                .collect();
            groups.push(group);
            i = end + 1 - base;
            continue;
        }
        if (rest.starts_with('\'') || rest.starts_with('"'))
            && let Some((_, w)) = quoted(rest).into_iter().next()
        {
            let len = w.len() + 2;
            singles.push((w, base + i));
            i += len;
            continue;
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    (singles, groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rel: &str, src: &str) -> Text {
        Text::new(rel, src, SYNTAX)
    }

    const ABSTRACT: &str = "<?php\nabstract class AbstractApi implements ApiInterface\n{\n    abstract protected function getPath();\n    public function send() {\n        $response = Request::post($url, $params, 'form');\n    }\n}\n";

    const REFUND: &str = "<?php\n\
/**\n\
 * @method $this setRefundReference(string $refundReference)\n\
 * @method $this setNothing(string $x)\n\
 */\n\
class Refund extends AbstractApi\n\
{\n\
    public function __construct($yuansfer)\n\
    {\n\
        $this->addRequired(array(\n\
            'refundAmount',\n\
            'callbackUrl',\n\
            array('reference', 'transactionNo'),\n\
        ));\n\
        $this->addCallable(array(\n\
            'refundReference',\n\
            'goodesInfo',\n\
        ));\n\
    }\n\
    protected function getPath()\n\
    {\n\
        return 'app-data-search/v3/refund';\n\
    }\n\
    public function setRefundAmount($amount)\n\
    {\n\
        return $this->setParams('refundAmount', $amount);\n\
    }\n\
    public function setReference($r) { return $this->setParams('reference', $r); }\n\
    public function setTransactionNo($r) { return $this->setParams('transactionNo', $r); }\n\
    public function setCountryCode($c)\n\
    {\n\
        $this->setParams('countryCode', $c);\n\
        if ($c === 'US') {\n\
            $this->addRequired(array('state'));\n\
        }\n\
    }\n\
    protected function paramsHook($params)\n\
    {\n\
        $params['timestamp'] = \\gmdate('c');\n\
        if ($params['x'] instanceof X) {\n\
            $params['notAlways'] = 1;\n\
        }\n\
        return $params;\n\
    }\n\
}\n";

    fn field<'a>(e: &'a Endpoint, wire: &str) -> Option<&'a Field> {
        e.request.iter().find(|f| f.wire == wire)
    }

    #[test]
    fn requirements_callables_setters_and_hooks() {
        let out = parse(&[
            text("src/Api/AbstractApi.php", ABSTRACT),
            text("src/Api/Refund.php", REFUND),
        ])
        .unwrap_or_default();
        assert_eq!(out.len(), 1);
        let e = &out[0];
        assert_eq!(e.path, "app-data-search/v3/refund");
        assert_eq!(e.at, "src/Api/Refund.php:6");
        assert_eq!(e.encoding, Some("form"));
        let amount = field(e, "refundAmount");
        assert!(amount.is_some_and(|f| f.requires && f.at == "src/Api/Refund.php:26"));
        let reference = field(e, "reference");
        assert!(reference.is_some_and(|f| !f.requires
            && f.when.as_deref() == Some("one of reference, transactionNo is required")));
        assert!(field(e, "refundReference").is_some_and(|f| f.at == "src/Api/Refund.php:16"));
        assert!(field(e, "goodesInfo").is_some());
        let stamp = field(e, "timestamp");
        assert!(stamp.is_some_and(|f| f.requires && f.bug.is_none()));
        assert!(field(e, "notAlways").is_none());
        let state = field(e, "state");
        assert!(state.is_some_and(
            |f| !f.requires && f.when.as_deref().unwrap_or("").contains("$c === 'US'")
        ));
        let callback = field(e, "callbackUrl");
        assert!(callback.is_some_and(|f| f.requires && f.bug.is_some()));
        let nothing = field(e, "nothing");
        assert!(nothing.is_some_and(|f| f.bug.as_deref().unwrap_or("").contains("__call throws")));
    }

    #[test]
    fn a_subclass_is_merged_into_its_parent() {
        let base = "<?php\nclass YipSecurePay extends AbstractApi\n{\n    public function __construct($y)\n    {\n        $this->addRequired(array('amount'));\n        $this->addCallable(array('amount'));\n    }\n    protected function getPath()\n    {\n        return 'online/v4/secure-pay';\n    }\n}\n";
        let sub = "<?php\nclass YipSecurePayVault extends YipSecurePay\n{\n    public function __construct($y)\n    {\n        $this->addRequired(array('creditType'));\n        $this->addCallable(array('creditType'));\n        parent::__construct($y);\n    }\n}\n";
        let out = parse(&[
            text("src/Api/YipSecurePay.php", base),
            text("src/Api/YipSecurePayVault.php", sub),
        ])
        .unwrap_or_default();
        assert_eq!(out.len(), 1);
        let credit = field(&out[0], "creditType");
        assert!(credit.is_some_and(|f| {
            !f.requires
                && f.when
                    .as_deref()
                    .unwrap_or("")
                    .contains("YipSecurePayVault")
        }));
        assert!(field(&out[0], "amount").is_some_and(|f| f.requires));
    }

    #[test]
    fn an_unclosed_list_is_an_error_with_its_place() {
        let bad = "<?php\nclass Bad extends AbstractApi\n{\n    public function __construct($y)\n    {\n        $this->addRequired(array('a'\n    }\n}\n";
        let err = parse(&[text("src/Api/Bad.php", bad)])
            .err()
            .unwrap_or_default();
        assert!(err.starts_with("src/Api/Bad.php:"), "{err}");
    }
}

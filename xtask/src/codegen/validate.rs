//! Consistency checks on the API description, so a typo fails the generator, not the compiler.

use std::collections::HashSet;

use super::model::Api;

pub fn check(api: &Api) -> Result<(), String> {
    let mut errors = Vec::new();
    let groups: HashSet<&str> = api.groups.iter().map(|g| g.id.as_str()).collect();
    let enums: HashSet<&str> = api.enums.iter().map(|e| e.name.as_str()).collect();
    let objects: HashSet<&str> = api.objects.iter().map(|o| o.name.as_str()).collect();
    let mut names = HashSet::new();
    let mut methods = HashSet::new();
    let mut paths = HashSet::new();
    let type_ok = |ty: &str| -> bool {
        matches!(
            ty,
            "string" | "amount" | "time" | "integer" | "bool" | "json" | "array:string"
        ) || ty.strip_prefix("enum:").is_some_and(|n| enums.contains(n))
            || ty
                .strip_prefix("object:")
                .is_some_and(|n| objects.contains(n))
            || ty
                .strip_prefix("array:")
                .is_some_and(|n| objects.contains(n))
    };
    for e in &api.endpoints {
        let at = format!("endpoint {}", e.name);
        if !names.insert(&e.name) || !methods.insert(&e.method) || !paths.insert(&e.path) {
            errors.push(format!("{at}: name, method or path repeated"));
        }
        if !groups.contains(e.group.as_str()) {
            errors.push(format!("{at}: unknown group {}", e.group));
        }
        let mut wires = HashSet::new();
        for f in &e.request {
            if !wires.insert(&f.wire) {
                errors.push(format!("{at}: request field {} repeated", f.wire));
            }
            if matches!(
                f.wire.as_str(),
                "merchantNo" | "storeNo" | "merGroupNo" | "verifySign"
            ) {
                errors.push(format!(
                    "{at}: {} is added by the client, not listed",
                    f.wire
                ));
            }
            if !type_ok(&f.ty) || matches!(f.ty.as_str(), "json" | "array:string") {
                errors.push(format!("{at}: request field {} has type {}", f.wire, f.ty));
            }
        }
        for group in &e.one_of {
            for wire in group {
                match e.request.iter().find(|f| &f.wire == wire) {
                    Some(f) if !f.required => {}
                    _ => errors.push(format!(
                        "{at}: one_of field {wire} must be an optional field"
                    )),
                }
            }
        }
        for group in &e.any_of {
            for wire in group {
                if !e.request.iter().any(|f| &f.wire == wire && !f.required) {
                    errors.push(format!(
                        "{at}: any_of field {wire} must be an optional field"
                    ));
                }
            }
        }
        for c in &e.conditions {
            if !e.request.iter().any(|f| f.wire == c.require && !f.required) {
                errors.push(format!(
                    "{at}: condition requires {}, which must be an optional field",
                    c.require
                ));
            }
            match e.request.iter().find(|f| f.wire == c.when) {
                None => errors.push(format!("{at}: condition on unknown field {}", c.when)),
                Some(f) if !c.is.is_empty() => {
                    let known =
                        f.ty.strip_prefix("enum:")
                            .and_then(|name| api.enums.iter().find(|en| en.name == name));
                    match known {
                        Some(en) => {
                            for value in &c.is {
                                if !en.values.iter().any(|v| &v.wire == value) {
                                    errors.push(format!(
                                        "{at}: condition value {value} is not a {} value",
                                        en.name
                                    ));
                                }
                            }
                        }
                        None => errors.push(format!(
                            "{at}: condition values need an enum field, {} is not one",
                            c.when
                        )),
                    }
                }
                Some(_) => {}
            }
        }
        match &e.response.object {
            Some(name) if !objects.contains(name.as_str()) => {
                errors.push(format!("{at}: response object {name} is not defined"))
            }
            Some(_) if !e.response.fields.is_empty() => errors.push(format!(
                "{at}: a response is either an object or fields of its own, not both"
            )),
            _ => {}
        }
        for f in &e.response.fields {
            if !type_ok(&f.ty) || f.ty == "bool" {
                errors.push(format!("{at}: response field {} has type {}", f.wire, f.ty));
            }
        }
    }
    for o in &api.objects {
        for f in &o.fields {
            if !type_ok(&f.ty) {
                errors.push(format!(
                    "object {}: field {} has type {}",
                    o.name, f.wire, f.ty
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "api/pockyt-api.json is inconsistent:\n  {}",
            errors.join("\n  ")
        ))
    }
}

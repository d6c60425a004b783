//! Which groups reach each named type and error body: the Cargo features an item compiles under.
//!
//! A generated crate has one Cargo feature per group (`default` turns them all on). A schema
//! type compiles when any group whose operations use it (as a parameter, body or response,
//! directly or through fields, items, variants and aliases) is on, so a build with one group's
//! feature compiles that group's operations and only the models they reach. Types no operation
//! reaches, and types every group reaches, compile always: there is nothing to save on the
//! latter, and the former may be what callers use on their own, which makes everything such a
//! schema contains compile always too. Webhook payloads compile always, like the `webhooks`
//! module that decodes them.

use std::collections::BTreeMap;

use super::usage::reach;
use super::{Api, TypeDef, TypeRef};

/// For each named type and error body, the groups (indexes into [`Api::groups`]) that need it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupReach {
    groups: usize,
    types: BTreeMap<String, Vec<usize>>,
    error_bodies: BTreeMap<String, Vec<usize>>,
}

impl GroupReach {
    /// Works out, group by group, which types its operations reach.
    pub fn of(api: &Api) -> Self {
        let index: BTreeMap<&str, &TypeDef> =
            api.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut types: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut error_bodies: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (g, group) in api.groups.iter().enumerate() {
            let mut roots: Vec<&TypeRef> = Vec::new();
            for op in &group.operations {
                roots.extend(op.params.iter().map(|p| &p.ty));
                roots.extend(op.body.iter().map(|b| &b.ty));
                for response in &op.responses {
                    let Some(body) = &response.body else { continue };
                    roots.push(body);
                    if let (false, TypeRef::Named(name)) = (response.status.is_success(), body) {
                        let groups = error_bodies.entry(name.clone()).or_default();
                        if groups.last() != Some(&g) {
                            groups.push(g);
                        }
                    }
                }
            }
            for name in reach(roots, &index) {
                types.entry(name).or_default().push(g);
            }
        }
        // A schema no operation uses compiles always, and so must every type it contains. So
        // must webhook payloads: the `webhooks` module belongs to no group.
        let unused: Vec<TypeRef> = api
            .types
            .iter()
            .filter(|t| !types.contains_key(&t.name))
            .map(|t| TypeRef::Named(t.name.clone()))
            .collect();
        let always = unused
            .iter()
            .chain(api.webhooks.iter().filter_map(|w| w.payload.as_ref()));
        for name in reach(always.collect(), &index) {
            types.remove(&name);
        }
        Self {
            groups: api.groups.len(),
            types,
            error_bodies,
        }
    }

    /// The groups the named type compiles for, ascending; `None` when it compiles always
    /// (every group reaches it, or none does).
    pub fn type_groups(&self, name: &str) -> Option<&[usize]> {
        self.gated(self.types.get(name))
    }

    /// The groups whose operations can return the named error body (an `ErrorBody` variant),
    /// ascending; `None` when every group can.
    pub fn error_body_groups(&self, name: &str) -> Option<&[usize]> {
        self.gated(self.error_bodies.get(name))
    }

    fn gated<'a>(&self, groups: Option<&'a Vec<usize>>) -> Option<&'a [usize]> {
        groups
            .filter(|groups| groups.len() < self.groups)
            .map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::GroupReach;

    fn api(spec: &str) -> crate::model::Api {
        let doc = crate::load::load(spec.as_bytes(), "t.yaml").expect("the spec loads");
        crate::model::build(doc, &Default::default())
            .expect("the model builds")
            .0
    }

    /// Reached through a body, a parameter, a response, fields, arrays, unions and aliases;
    /// by one group, by two, by all, by none.
    #[test]
    fn each_type_compiles_for_the_groups_that_reach_it() {
        let spec = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      tags: [A]
      operationId: makeA
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/OnlyA'}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}
        '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/ErrA'}}}}
  /b:
    get:
      tags: [B]
      operationId: getB
      parameters:
        - {name: k, in: query, schema: {$ref: '#/components/schemas/KindB'}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/ListAb'}}}}
        '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/ErrAll'}}}}
  /c:
    get:
      tags: [C]
      operationId: getC
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}
        '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/ErrAll'}}}}
components:
  schemas:
    OnlyA: {type: object, properties: {inner: {$ref: '#/components/schemas/Inner'}}}
    Inner: {type: object, properties: {x: {type: string}}}
    ListAb: {type: array, items: {$ref: '#/components/schemas/UnionAb'}}
    UnionAb: {oneOf: [{$ref: '#/components/schemas/Inner'}, {type: string}]}
    KindB: {type: string, enum: [x, y]}
    Shared: {type: object, properties: {n: {type: integer}}}
    ErrA: {type: object, properties: {m: {type: string}}}
    ErrAll: {type: object, properties: {m: {type: string}}}
    Unused: {type: object, properties: {m: {type: string}}}
    UnusedHolder: {type: object, properties: {pet: {$ref: '#/components/schemas/OnlyInHolder'}}}
    OnlyInHolder: {type: object, properties: {err: {$ref: '#/components/schemas/ErrA'}}}
"##;
        let api = api(spec);
        let groups: Vec<&str> = api.groups.iter().map(|g| g.method.as_str()).collect();
        assert_eq!(groups, ["a", "b", "c"]);
        let reach = GroupReach::of(&api);
        let of = |name: &str| {
            assert!(
                api.type_def(name).is_some(),
                "no type {name} in {:?}",
                api.types.iter().map(|t| &t.name).collect::<Vec<_>>()
            );
            reach.type_groups(name).map(<[usize]>::to_vec)
        };
        assert_eq!(of("OnlyA"), Some(vec![0]));
        assert_eq!(of("Inner"), Some(vec![0, 1]), "through a field and a union");
        assert_eq!(of("ListAb"), Some(vec![1]));
        assert_eq!(of("UnionAb"), Some(vec![1]), "through an alias's items");
        assert_eq!(of("KindB"), Some(vec![1]), "through a parameter");
        assert_eq!(of("Shared"), Some(vec![0, 2]));
        assert_eq!(
            of("ErrA"),
            None,
            "group a's error body, but part of a schema no operation uses: always compiled"
        );
        assert_eq!(of("OnlyInHolder"), None);
        assert_eq!(of("ErrAll"), Some(vec![1, 2]));
        assert_eq!(of("Unused"), None, "reached by no group: always compiled");
        assert_eq!(
            reach.error_body_groups("ErrA"),
            Some(&[0][..]),
            "the ErrorBody variant still needs group a's feature"
        );
        assert_eq!(reach.error_body_groups("ErrAll"), Some(&[1, 2][..]));
    }

    #[test]
    fn a_type_every_group_reaches_compiles_always() {
        let spec = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      tags: [A]
      responses:
        '400': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Err'}}}}
  /b:
    get:
      tags: [B]
      responses:
        '400': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Err'}}}}
components:
  schemas:
    Err: {type: object, properties: {m: {type: string}}}
"##;
        let api = api(spec);
        let reach = GroupReach::of(&api);
        assert_eq!(api.groups.len(), 2);
        assert_eq!(reach.type_groups("Err"), None);
        assert_eq!(reach.error_body_groups("Err"), None);
    }

    /// The `webhooks` module is in every build, so the payloads it decodes (and what they
    /// contain) are too, even when a group's operations use them as well.
    #[test]
    fn webhook_payloads_compile_always() {
        let spec = r##"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    post:
      tags: [A]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Event'}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/OnlyA'}}}}
  /b:
    get:
      tags: [B]
      responses:
        '204': {description: done}
webhooks:
  newEvent:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Event'}
      responses:
        '200': {description: ok}
components:
  schemas:
    Event: {type: object, properties: {detail: {$ref: '#/components/schemas/Detail'}}}
    Detail: {type: object, properties: {x: {type: string}}}
    OnlyA: {type: object, properties: {n: {type: integer}}}
"##;
        let api = api(spec);
        assert_eq!(api.groups.len(), 2);
        let reach = GroupReach::of(&api);
        assert_eq!(reach.type_groups("Event"), None);
        assert_eq!(reach.type_groups("Detail"), None, "inside a payload");
        assert_eq!(reach.type_groups("OnlyA"), Some(&[0][..]));
    }

    /// An inline type declared by another's shape needs that type in every build it is in.
    #[test]
    fn a_shape_compiles_with_every_group_whose_types_have_it() {
        let spec = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      tags: [A]
      operationId: getA
      parameters:
        - {name: order, in: query, schema: {type: string, enum: [asc, desc]}}
      responses:
        '204': {description: done}
  /b:
    get:
      tags: [B]
      operationId: getB
      parameters:
        - {name: direction, in: query, schema: {type: string, enum: [asc, desc]}}
      responses:
        '204': {description: done}
  /c:
    get:
      tags: [C]
      responses:
        '204': {description: done}
"##;
        let api = api(spec);
        let declared = api.type_def("GetAOrder").expect("group a's enum");
        assert_eq!(declared.same_as, None);
        let alias = api.type_def("GetBDirection").expect("group b's enum");
        assert_eq!(alias.same_as.as_deref(), Some("GetAOrder"));
        let reach = GroupReach::of(&api);
        assert_eq!(reach.type_groups("GetAOrder"), Some(&[0, 1][..]));
        assert_eq!(reach.type_groups("GetBDirection"), Some(&[1][..]));
    }
}

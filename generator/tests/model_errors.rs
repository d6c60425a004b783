//! Bad specs that parse but cannot become an SDK: each error is asserted verbatim.

fn errors_of(paths_and_components: &str) -> String {
    let spec = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{paths_and_components}");
    match sdkgen::generate(spec.as_bytes(), "spec.yaml", &sdkgen::Config::named("t")) {
        Ok(_) => panic!("expected diagnostics"),
        Err(diagnostics) => diagnostics.to_string(),
    }
}

#[test]
fn dangling_schema_ref() {
    let err = errors_of(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
    );
    assert_eq!(
        err,
        "error: #/components/schemas/A/properties/b: `$ref: #/components/schemas/Missing` points to a schema that does not exist\n  help: define `Missing` under components/schemas, or fix the reference"
    );
}

#[test]
fn duplicate_operation_id() {
    let err = errors_of(
        "paths:\n  /a:\n    get: {operationId: Same, responses: {'204': {description: ok}}}\n  /b:\n    get: {operationId: Same, responses: {'204': {description: ok}}}\n",
    );
    assert_eq!(
        err,
        "error: #/paths/~1b/get/operationId: operationId `Same` is also used at #/paths/~1a/get\n  help: operationIds must be unique across the document"
    );
}

#[test]
fn path_parameter_missing_from_template() {
    let err = errors_of(
        "paths:\n  /a:\n    get:\n      operationId: GetA\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
    );
    assert_eq!(
        err,
        "error: #/paths/~1a/get/parameters/0/name: path parameter `id` does not appear in the path template `/a`\n  help: add `{id}` to the path or change the parameter's `in`"
    );
}

#[test]
fn template_parameter_not_declared() {
    let err = errors_of(
        "paths:\n  /a/{id}:\n    get: {operationId: GetA, responses: {'204': {description: ok}}}\n",
    );
    assert_eq!(
        err,
        "error: #/paths/~1a~1{id}/get/parameters: the path template has `{id}` but no path parameter named `id` is declared\n  help: declare `{name: id, in: path, required: true, schema: {type: string}}`"
    );
}

#[test]
fn dangling_parameter_and_response_refs() {
    let err = errors_of(
        "paths:\n  /a:\n    get:\n      operationId: GetA\n      parameters: [{$ref: '#/components/parameters/Nope'}]\n      responses: {'200': {$ref: '#/components/responses/Nope'}}\n",
    );
    assert_eq!(
        err,
        "error: #/paths/~1a/get/parameters/0: `$ref: #/components/parameters/Nope` does not resolve to a parameter\n  help: define it under components/parameters or fix the reference\nerror: #/paths/~1a/get/responses/200: `$ref: #/components/responses/Nope` does not resolve to a response\n  help: define it under components/responses or fix the reference"
    );
}

#[test]
fn unsupported_constructs_are_warnings_with_a_fallback() {
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {not: {type: string}}\n";
    let output = sdkgen::generate(spec.as_bytes(), "spec.yaml", &sdkgen::Config::named("t"))
        .expect("a warning does not stop generation");
    assert_eq!(
        output.warnings.to_string(),
        "warning: #/components/schemas/A/properties/b: not is not supported yet; the value is typed as `serde_json::Value`\n  help: the SDK still sends and receives it, untyped"
    );
    let models = output
        .files
        .iter()
        .find(|f| f.path == "src/models.rs")
        .unwrap();
    assert!(
        models
            .contents
            .contains("pub b: Option<serde_json::Value>,")
    );
}

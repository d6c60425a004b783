//! Pagination detection as a table: one small spec per API style (and per trap), the strategy
//! it must get, or why it must get none. The paging itself is tested over HTTP in
//! `generated/pagination/tests/strategies.rs`.

use sdkgen::model::{CoverageRow, ListShape};
use sdkgen::{Config, Diagnostics, Severity};

const ITEM: &str =
    "{type: object, required: [id], properties: {id: {type: string}, n: {type: integer}}}";

/// A spec with one operation: `method /things` with these query parameters (a YAML flow list)
/// and this 200 response schema. `extra` is YAML for the operation (extensions, at six
/// spaces), or for the response when it starts with `headers:`.
fn spec(method: &str, params: &str, schema: &str, extra: &str) -> String {
    let (headers, extension) = match extra.trim_start().strip_prefix("headers:") {
        Some(rest) => (format!("          headers:{rest}"), String::new()),
        None => (String::new(), extra.to_owned()),
    };
    format!(
        "openapi: 3.0.3
info: {{title: T, version: '1'}}
servers: [{{url: 'https://api.example.com'}}]
paths:
  /things:
    {method}:
      operationId: ListThings
      parameters: {params}
{extension}      responses:
        '200':
          description: ok
{headers}          content:
            application/json:
              schema: {schema}
components:
  schemas:
    Item: {ITEM}
"
    )
}

fn q(name: &str, ty: &str) -> String {
    format!("{{name: {name}, in: query, schema: {{type: {ty}}}}}")
}

fn params(list: &[String]) -> String {
    format!("[{}]", list.join(", "))
}

const ITEMS: &str = "{type: array, items: {$ref: '#/components/schemas/Item'}}";

fn object(fields: &str) -> String {
    format!("{{type: object, properties: {{{fields}}}}}")
}

/// The coverage row of `ListThings` and the diagnostics, generating with `config`.
fn run(spec: &str, config: &Config) -> Result<(Option<CoverageRow>, Diagnostics), Diagnostics> {
    let output = sdkgen::generate(spec.as_bytes(), "spec.yaml", config)?;
    let row = output
        .pagination
        .rows
        .into_iter()
        .find(|r| r.operation == "ListThings");
    Ok((row, output.warnings))
}

fn detect(spec: &str) -> (Option<CoverageRow>, Diagnostics) {
    run(spec, &Config::named("t")).unwrap_or_else(|d| panic!("generation failed:\n{d}"))
}

fn notes(diagnostics: &Diagnostics) -> Vec<String> {
    diagnostics
        .0
        .iter()
        .filter(|d| d.severity == Severity::Note)
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn each_api_style_gets_its_strategy() {
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "Clerk: offset, limit, total_count",
            spec(
                "get",
                &params(&[q("offset", "integer"), q("limit", "integer")]),
                &object(&format!("data: {ITEMS}, total_count: {{type: integer}}")),
                "",
            ),
            "offset",
        ),
        (
            "Clerk API keys: offset, limit and total_count typed number",
            spec(
                "get",
                &params(&[q("offset", "number"), q("limit", "number")]),
                &object(&format!("data: {ITEMS}, total_count: {{type: number}}")),
                "",
            ),
            "offset",
        ),
        (
            "offset over a bare array",
            spec(
                "get",
                &params(&[q("offset", "integer"), q("limit", "integer")]),
                ITEMS,
                "",
            ),
            "offset",
        ),
        (
            "page, per_page, total_pages",
            spec(
                "get",
                &params(&[q("page", "integer"), q("per_page", "integer")]),
                &object(&format!("items: {ITEMS}, total_pages: {{type: integer}}")),
                "",
            ),
            "page",
        ),
        (
            "GitHub: page, per_page, a Link header",
            spec(
                "get",
                &params(&[q("page", "integer"), q("per_page", "integer")]),
                ITEMS,
                "          headers: {Link: {schema: {type: string}}}\n",
            ),
            "link-header",
        ),
        (
            "Stripe: starting_after the last id, has_more",
            spec(
                "get",
                &params(&[q("starting_after", "string"), q("limit", "integer")]),
                &object(&format!("data: {ITEMS}, has_more: {{type: boolean}}")),
                "",
            ),
            "cursor",
        ),
        (
            "OpenAI: after, last_id, has_more",
            spec(
                "get",
                &params(&[q("after", "string"), q("limit", "integer")]),
                &object(&format!(
                    "data: {ITEMS}, first_id: {{type: string, nullable: true}}, last_id: {{type: string, nullable: true}}, has_more: {{type: boolean}}"
                )),
                "",
            ),
            "cursor",
        ),
        (
            "OpenAI: after, next (a cursor), has_more",
            spec(
                "get",
                &params(&[q("after", "string"), q("limit", "integer")]),
                &object(&format!(
                    "data: {ITEMS}, next: {{type: string, nullable: true}}, has_more: {{type: boolean}}"
                )),
                "",
            ),
            "cursor",
        ),
        (
            "cursor and meta.next_cursor",
            spec(
                "get",
                &params(&[q("cursor", "string")]),
                &object(&format!(
                    "data: {ITEMS}, meta: {{type: object, properties: {{next_cursor: {{type: string, nullable: true}}}}}}"
                )),
                "",
            ),
            "cursor",
        ),
        (
            "Box: marker and next_marker",
            spec(
                "get",
                &params(&[q("marker", "string"), q("limit", "integer")]),
                &object(&format!(
                    "entries: {ITEMS}, next_marker: {{type: string, nullable: true}}"
                )),
                "",
            ),
            "cursor",
        ),
        (
            "dropshot: page_token and next_page",
            spec(
                "get",
                &params(&[q("page_token", "string"), q("limit", "integer")]),
                &object(&format!(
                    "items: {ITEMS}, next_page: {{type: string, nullable: true}}"
                )),
                "      x-dropshot-pagination: {required: []}\n",
            ),
            "page-token",
        ),
        (
            "Google: pageToken and nextPageToken",
            spec(
                "get",
                &params(&[q("pageToken", "string"), q("pageSize", "integer")]),
                &object(&format!("things: {ITEMS}, nextPageToken: {{type: string}}")),
                "",
            ),
            "page-token",
        ),
        (
            "OpenAI usage: page (a string) and next_page",
            spec(
                "get",
                &params(&[q("page", "string"), q("limit", "integer")]),
                &object(&format!(
                    "data: {ITEMS}, has_more: {{type: boolean}}, next_page: {{type: string, nullable: true}}"
                )),
                "",
            ),
            "page-token",
        ),
        (
            "Spotify: a next URL",
            spec(
                "get",
                &params(&[q("limit", "integer")]),
                &object(&format!(
                    "items: {ITEMS}, next: {{type: string, nullable: true}}"
                )),
                "",
            ),
            "next-url",
        ),
        (
            "Twilio: next_page_uri beside Page and PageToken",
            spec(
                "get",
                &params(&[
                    q("PageSize", "integer"),
                    q("Page", "integer"),
                    q("PageToken", "string"),
                ]),
                &object(&format!(
                    "calls: {ITEMS}, next_page_uri: {{type: string, nullable: true}}, page: {{type: integer}}"
                )),
                "",
            ),
            "next-url",
        ),
        (
            "Spotify: a paging object inside the body",
            spec(
                "get",
                &params(&[q("offset", "integer"), q("limit", "integer")]),
                &object(&format!(
                    "albums: {{type: object, properties: {{items: {ITEMS}, total: {{type: integer}}, next: {{type: string, nullable: true}}}}}}"
                )),
                "",
            ),
            "offset",
        ),
    ];
    for (name, spec, strategy) in cases {
        let (row, diagnostics) = detect(&spec);
        let row = row.unwrap_or_else(|| panic!("{name}: not a list operation"));
        assert_eq!(row.strategy, Some(strategy), "{name}: {row:?}");
        assert_eq!(row.list, ListShape::Paged { left_out: None }, "{name}");
        assert!(notes(&diagnostics).is_empty(), "{name}: {diagnostics}");
    }
}

/// Lists that look paged but do not qualify: no `stream()`, a note that says why and names
/// the `sdkgen.toml` override.
#[test]
fn unsure_cases_get_a_note_and_no_stream() {
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "a POST",
            spec(
                "post",
                &params(&[q("offset", "integer"), q("limit", "integer")]),
                &object(&format!("data: {ITEMS}, total: {{type: integer}}")),
                "",
            ),
            "POST",
        ),
        (
            "a cursor parameter and nothing in the response",
            spec(
                "get",
                &params(&[q("cursor", "string")]),
                &object(&format!("data: {ITEMS}")),
                "",
            ),
            "`cursor`",
        ),
        (
            "a cursor of another type than the parameter",
            spec(
                "get",
                &params(&[q("marker", "string")]),
                &object(&format!("entries: {ITEMS}, next_marker: {{type: integer}}")),
                "",
            ),
            "`marker`",
        ),
        (
            "a page number and nothing in the response that speaks of pages",
            spec(
                "get",
                &params(&[q("Page", "integer"), q("PageSize", "integer")]),
                &object(&format!("countries: {ITEMS}, uri: {{type: string}}")),
                "",
            ),
            "`Page`",
        ),
        (
            "a next field that can never be absent",
            spec(
                "get",
                &params(&[q("limit", "integer")]),
                &format!(
                    "{{type: object, required: [next], properties: {{items: {ITEMS}, next: {{type: string}}}}}}"
                ),
                "",
            ),
            "no query parameter",
        ),
        (
            "several lists",
            spec(
                "get",
                &params(&[q("offset", "integer"), q("limit", "integer")]),
                &object(&format!(
                    "tracks: {{type: object, properties: {{items: {ITEMS}}}}}, artists: {{type: object, properties: {{items: {ITEMS}}}}}"
                )),
                "",
            ),
            "several lists",
        ),
        (
            "offset with only a `count`, which may be the page's",
            spec(
                "get",
                &params(&[q("offset", "integer")]),
                &object(&format!("data: {ITEMS}, count: {{type: integer}}")),
                "",
            ),
            "`offset`",
        ),
    ];
    for (name, spec, reason) in cases {
        let (row, diagnostics) = detect(&spec);
        let row = row.unwrap_or_else(|| panic!("{name}: not a list operation"));
        assert_eq!(row.strategy, None, "{name}: {row:?}");
        let ListShape::Paged {
            left_out: Some(why),
        } = &row.list
        else {
            panic!("{name}: {row:?}");
        };
        assert!(why.contains(reason), "{name}: {why}");
        let notes = notes(&diagnostics);
        assert_eq!(notes.len(), 1, "{name}: {diagnostics}");
        assert!(
            notes[0].contains("`ListThings` looks paged")
                && notes[0].contains("#/paths/~1things/")
                && notes[0].contains("[pagination] ListThings = {"),
            "{name}: {}",
            notes[0]
        );
    }
}

/// Not lists, or lists with no sign of paging: nothing to say.
#[test]
fn resources_and_unpaged_lists_are_left_alone() {
    let cases: Vec<(&str, String, Option<ListShape>)> = vec![
        (
            "a limit alone",
            spec("get", &params(&[q("limit", "integer")]), ITEMS, ""),
            Some(ListShape::Unpaged),
        ),
        (
            "a resource with arrays and an offset (Box folder)",
            spec(
                "get",
                &params(&[q("offset", "integer"), q("limit", "integer")]),
                &object(
                    "id: {type: string}, tags: {type: array, items: {type: string}}, roles: {type: array, items: {type: string}}",
                ),
                "",
            ),
            None,
        ),
        (
            "a resource with one array and a paging object (Spotify album)",
            spec(
                "get",
                &params(&[q("market", "string")]),
                &object(&format!(
                    "id: {{type: string}}, tracks: {{type: object, properties: {{items: {ITEMS}, next: {{type: string, nullable: true}}}}}}"
                )),
                "",
            ),
            None,
        ),
        (
            "a side list beside the response (Clerk FAPI's client.sessions)",
            spec(
                "get",
                &params(&[q("offset", "integer"), q("limit", "integer")]),
                &object(&format!(
                    "response: {{type: object, properties: {{id: {{type: string}}}}}}, client: {{type: object, properties: {{sessions: {ITEMS}}}}}"
                )),
                "",
            ),
            None,
        ),
    ];
    for (name, spec, shape) in cases {
        let (row, diagnostics) = detect(&spec);
        assert_eq!(
            row.as_ref().map(|r| r.list.clone()),
            shape,
            "{name}: {row:?}"
        );
        assert_eq!(row.and_then(|r| r.strategy), None, "{name}");
        assert!(notes(&diagnostics).is_empty(), "{name}: {diagnostics}");
    }
}

#[test]
fn x_speakeasy_pagination_is_honoured() {
    let offset_limit = spec(
        "get",
        &params(&[q("p", "integer"), q("size", "integer")]),
        &object(&format!(
            "result: {{type: object, properties: {{rows: {ITEMS}, pages: {{type: integer}}}}}}"
        )),
        "      x-speakeasy-pagination:\n        type: offsetLimit\n        inputs:\n          - {name: p, in: parameters, type: page}\n          - {name: size, in: parameters, type: limit}\n        outputs: {results: '$.result.rows', numPages: '$.result.pages'}\n",
    );
    let url = spec(
        "get",
        &params(&[]),
        &object(&format!(
            "rows: {ITEMS}, links: {{type: object, properties: {{following: {{type: string}}}}}}"
        )),
        "      x-speakeasy-pagination: {type: url, outputs: {nextUrl: '$.links.following'}}\n",
    );
    for (spec, strategy) in [(offset_limit, "page"), (url, "next-url")] {
        let (row, diagnostics) = detect(&spec);
        let row = row.expect("a list");
        assert_eq!(row.strategy, Some(strategy), "{row:?}");
        assert_eq!(row.source, Some(sdkgen::model::PaginationSource::Extension));
        assert!(diagnostics.0.is_empty(), "{diagnostics}");
    }

    // An input in the request body cannot be followed: a warning at the extension.
    let body_input = spec(
        "get",
        &params(&[]),
        &object(&format!("rows: {ITEMS}")),
        "      x-speakeasy-pagination:\n        type: cursor\n        inputs: [{name: since, in: requestBody, type: cursor}]\n        outputs: {nextCursor: '$.rows[-1].id'}\n",
    );
    let (row, diagnostics) = detect(&body_input);
    assert_eq!(row.and_then(|r| r.strategy), None);
    let warning = diagnostics.to_string();
    assert!(
        warning.contains("warning: #/paths/~1things/get/x-speakeasy-pagination")
            && warning.contains("requestBody"),
        "{warning}"
    );
}

#[test]
fn sdkgen_toml_rules_force_or_turn_off() {
    let offset_spec = spec(
        "get",
        &params(&[
            q("offset", "integer"),
            q("limit", "integer"),
            q("after", "string"),
        ]),
        &object(&format!(
            "data: {ITEMS}, total: {{type: integer}}, next_after: {{type: string, nullable: true}}, last: {{type: string, nullable: true}}"
        )),
        "",
    );
    let with = |rules: &str| {
        let mut config =
            Config::parse(&format!("[package]\nname = \"t\"\n[pagination]\n{rules}\n")).unwrap();
        config.package.name = "t".into();
        run(&offset_spec, &config)
    };

    // Detection alone picks the offset.
    assert_eq!(detect(&offset_spec).0.unwrap().strategy, Some("offset"));

    // A strategy name forces it, with the usual names.
    let (row, _) = with("ListThings = \"cursor\"").unwrap();
    let row = row.unwrap();
    assert_eq!(row.strategy, Some("cursor"));
    assert_eq!(row.source, Some(sdkgen::model::PaginationSource::Config));

    // A table names what detection would not find.
    let (row, _) =
        with("ListThings = { strategy = \"cursor\", param = \"after\", next = \"last\" }").unwrap();
    assert_eq!(row.unwrap().strategy, Some("cursor"));

    // Off: no stream, no note.
    let (row, diagnostics) = with("ListThings = \"off\"").unwrap();
    let row = row.unwrap();
    assert_eq!(row.strategy, None);
    assert_eq!(
        row.list,
        ListShape::Paged {
            left_out: Some("turned off in sdkgen.toml".into())
        }
    );
    assert!(notes(&diagnostics).is_empty());

    // A rule that cannot be followed is an error naming the rule and the operation.
    let error = with("ListThings = { strategy = \"cursor\", param = \"nope\" }").unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("error: #/paths/~1things/get: sdkgen.toml [pagination] ListThings")
            && text.contains("no query parameter `nope`"),
        "{text}"
    );
    let error = with("ListThings = \"sideways\"").unwrap_err();
    assert!(
        error.to_string().contains("unknown strategy `sideways`"),
        "{error}"
    );

    // A rule for an operation the spec does not have is a warning.
    let (_, diagnostics) = with("ListThngs = \"off\"").unwrap();
    assert!(
        diagnostics
            .to_string()
            .contains("names `ListThngs`, which is no operationId"),
        "{diagnostics}"
    );
}

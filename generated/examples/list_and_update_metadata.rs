//! Lists every member of an organization, then merges metadata into one membership.
//!
//! ```sh
//! export CLERK_SECRET_KEY=sk_test_...
//! cargo run -p clerk-backend --example list_and_update_metadata -- org_123 user_456
//! ```
//!
//! The first argument is the organization; the optional second one is the member whose
//! metadata is updated (the first member listed when it is left out).

use clerk_backend::{Client, Error, ErrorBody};
use futures_util::StreamExt;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let Some(organization_id) = args.next() else {
        eprintln!("usage: list_and_update_metadata <organization_id> [user_id]");
        std::process::exit(2);
    };
    let mut user_id = args.next();

    // Reads the secret key from CLERK_SECRET_KEY; fails with `Error::Config` (and a message
    // saying what to set) when the variable is missing or empty.
    let client = Client::from_env()?;
    let memberships = client.organization_memberships();

    // `stream()` fetches one page per request, lazily, and moves `offset` forward itself;
    // `limit` (the page size) and every filter stay the same on every page. The stream has to
    // be pinned before `next()` can be called on it.
    let mut members = std::pin::pin!(memberships.list(&organization_id).limit(100).stream());
    let mut count = 0;
    while let Some(membership) = members.next().await {
        // A failed page is yielded as an `Err` and ends the stream.
        let membership = membership?;
        count += 1;
        let user = membership.public_user_data.as_ref();
        println!(
            "{:<24} {:<16} {}",
            user.map_or("-", |u| u.user_id.as_str()),
            membership.role,
            user.and_then(|u| u.identifier.as_deref()).unwrap_or("-"),
        );
        if user_id.is_none() {
            user_id = user.map(|u| u.user_id.clone());
        }
    }
    println!("{count} member(s) in {organization_id}");

    let Some(user_id) = user_id else {
        println!("no member to update");
        return Ok(());
    };

    // The metadata endpoint deep-merges what is sent: keys that are sent overwrite stored ones,
    // nested objects are merged key by key, a key sent as `null` is deleted, and keys that are
    // not sent are left alone. `json!` builds the objects; `null`s are sent exactly as written.
    let public_metadata = json!({
        "team": "platform",
        "onboarding": { "completed": true, "step": null },
        "legacy_flag": null,
    });
    let private_metadata = json!({ "seat_id": 42 });

    let result = memberships
        .update_metadata(&organization_id, &user_id)
        .public_metadata(into_object(public_metadata))
        .private_metadata(into_object(private_metadata))
        .send()
        .await;

    match result {
        Ok(updated) => {
            println!("metadata of {user_id} is now:");
            println!(
                "  public:  {}",
                serde_json::Value::Object(updated.public_metadata)
            );
            if let Some(private) = updated.private_metadata {
                println!("  private: {}", serde_json::Value::Object(private));
            }
            Ok(())
        }
        // Documented error statuses carry Clerk's typed error body; quote the trace ID when
        // contacting support.
        Err(Error::Api(api)) => {
            if let Some(ErrorBody::ClerkErrors(body)) = api.body() {
                for error in &body.errors {
                    eprintln!("{}: {}", error.code, error.long_message);
                }
                if let Some(trace) = &body.clerk_trace_id {
                    eprintln!("clerk trace id: {trace}");
                }
            }
            Err(Error::Api(api).into())
        }
        Err(other) => Err(other.into()),
    }
}

/// `public_metadata` and `private_metadata` take a JSON object (a `serde_json::Map`).
fn into_object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("json!({{...}}) always builds an object"),
    }
}

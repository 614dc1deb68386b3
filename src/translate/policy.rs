//! What happens to a request field the target wire has no place for. Three outcomes:
//! **translated** (the translators map it: `thinking` → `reasoning_effort`, `metadata.user_id`
//! → `user`, …), **dropped with a note** (here: fields that only tune the provider's own
//! service — caching, tiers, context editing, client bookkeeping — so the answer means the
//! same without them), or **refused** (the translators: tools the target cannot call, a
//! required schema, stored state — anything whose loss would change the answer).
//!
//! Every drop is visible: the proxy names the dropped fields in the `x-byok-dropped` response
//! header. README.md, "Serving across wires", has the table.

use serde_json::Value;

use super::Wire;

/// `(client wire, target wire, field)`: top-level fields dropped with a note.
const DROPPED: &[(Wire, Wire, &str)] = &[
    // Claude Code sends these on every request.
    (Wire::Messages, Wire::Chat, "context_management"),
    (Wire::Messages, Wire::Chat, "service_tier"),
    (Wire::Messages, Wire::Chat, "cache_control"),
    // Codex sends `client_metadata` on every Responses request.
    (Wire::Responses, Wire::Chat, "client_metadata"),
    (Wire::Responses, Wire::Chat, "metadata"),
    (Wire::Responses, Wire::Messages, "client_metadata"),
    (Wire::Responses, Wire::Messages, "metadata"),
    (Wire::Responses, Wire::Messages, "prompt_cache_key"),
    (Wire::Responses, Wire::Messages, "service_tier"),
    (Wire::Responses, Wire::Messages, "safety_identifier"),
    (Wire::Chat, Wire::Messages, "metadata"),
    (Wire::Chat, Wire::Messages, "service_tier"),
    (Wire::Chat, Wire::Messages, "prompt_cache_key"),
    (Wire::Chat, Wire::Messages, "safety_identifier"),
];

/// Removes from `body` the fields that `client → target` drops with a note; returns their
/// names, in the table's order (null values are not counted: they ask for nothing).
pub fn drop_tuning_fields(client: Wire, target: Wire, body: &mut Value) -> Vec<&'static str> {
    let Some(map) = body.as_object_mut() else {
        return Vec::new();
    };
    let mut dropped = Vec::new();
    for &(from, to, field) in DROPPED {
        if from == client
            && to == target
            && let Some(value) = map.remove(field)
            && !value.is_null()
        {
            dropped.push(field);
        }
    }
    dropped
}

/// The fields `client → target` drops with a note (for documentation and `--help`).
pub fn dropped_fields(client: Wire, target: Wire) -> impl Iterator<Item = &'static str> {
    DROPPED
        .iter()
        .filter(move |(from, to, _)| *from == client && *to == target)
        .map(|(_, _, field)| *field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claude_code_and_codex_fields_are_dropped_and_named() {
        let mut claude = json!({
            "model": "m", "messages": [], "context_management": {"edits": []},
            "service_tier": null,
        });
        assert_eq!(
            drop_tuning_fields(Wire::Messages, Wire::Chat, &mut claude),
            vec!["context_management"]
        );
        assert!(claude.get("context_management").is_none());
        assert!(claude.get("service_tier").is_none(), "null is removed too");
        let mut codex = json!({"model": "m", "input": "hi", "client_metadata": {"a": "b"}});
        assert_eq!(
            drop_tuning_fields(Wire::Responses, Wire::Messages, &mut codex),
            vec!["client_metadata"]
        );
        assert_eq!(codex, json!({"model": "m", "input": "hi"}));
    }

    #[test]
    fn fields_that_change_the_answer_are_never_on_the_list() {
        for (client, target) in [
            (Wire::Messages, Wire::Chat),
            (Wire::Chat, Wire::Messages),
            (Wire::Responses, Wire::Chat),
            (Wire::Responses, Wire::Messages),
        ] {
            for field in dropped_fields(client, target) {
                assert!(
                    ![
                        "tools",
                        "tool_choice",
                        "response_format",
                        "text",
                        "thinking",
                        "reasoning",
                        "messages",
                        "input",
                        "system",
                        "instructions",
                        "max_tokens",
                        "temperature",
                        "previous_response_id",
                        "store",
                    ]
                    .contains(&field),
                    "{field}"
                );
            }
        }
        let mut same = json!({"context_management": {}});
        assert!(drop_tuning_fields(Wire::Messages, Wire::Messages, &mut same).is_empty());
        assert!(
            same.get("context_management").is_some(),
            "same wire: untouched"
        );
    }
}

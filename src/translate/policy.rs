//! What happens to a request field the target wire has no place for. Three outcomes:
//! **translated** (the translators map it: `thinking` → `reasoning_effort`, `metadata.user_id`
//! → `user`, …), **dropped with a note** (here: fields that only tune the provider's own
//! service — caching, tiers, context editing, client bookkeeping — so the answer means the
//! same without them), or **refused** (the translators: tools the target cannot call, a
//! required schema, stored state — anything whose loss would change the answer).
//!
//! Every drop is visible: the proxy names the dropped fields in the `x-byok-dropped` response
//! header. docs/translation.md, "Serving across wires", has the table.

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

/// Hosted tools of a Responses request that a chat or Anthropic upstream cannot run, dropped
/// with a note when the model may answer without them (`tool_choice` does not force one):
/// the model then answers from what it knows, as it would have when it chose not to search.
/// Codex offers `web_search` on every request. Other hosted tools (file search, code
/// interpreter, MCP, …) stay refused: the client depends on what they return.
const DROPPED_HOSTED_TOOLS: &[(&str, &str)] = &[
    ("web_search", "tools.web_search"),
    ("web_search_preview", "tools.web_search_preview"),
];

/// Whether `body` holds anything `client → target` drops with a note (most requests hold
/// nothing, and are then not copied).
pub fn has_droppable(client: Wire, target: Wire, body: &Value) -> bool {
    dropped_fields(client, target).any(|f| body.get(f).is_some())
        || droppable_tools(client, target, body).next().is_some()
}

/// Removes from `body` the fields that `client → target` drops with a note; returns their
/// names, in the table's order (null values are not counted: they ask for nothing), then the
/// dropped hosted tools (`tools.web_search`).
pub fn drop_tuning_fields(client: Wire, target: Wire, body: &mut Value) -> Vec<&'static str> {
    let tools: Vec<&'static str> = droppable_tools(client, target, body).collect();
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
    if !tools.is_empty()
        && let Some(Value::Array(list)) = map.get_mut("tools")
    {
        list.retain(|t| hosted_note(t).is_none());
        for note in tools {
            if !dropped.contains(&note) {
                dropped.push(note);
            }
        }
    }
    dropped
}

fn hosted_note(tool: &Value) -> Option<&'static str> {
    let kind = tool.get("type")?.as_str()?;
    DROPPED_HOSTED_TOOLS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, note)| *note)
}

/// The notes of the hosted tools `body` offers that `client → target` may drop: none when
/// `tool_choice` forces a tool other than a function (the answer would need it).
fn droppable_tools(
    client: Wire,
    target: Wire,
    body: &Value,
) -> impl Iterator<Item = &'static str> + '_ {
    let applies = client == Wire::Responses
        && matches!(target, Wire::Chat | Wire::Messages)
        && match body.get("tool_choice") {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s != "required",
            Some(choice) => choice.get("type").and_then(Value::as_str) == Some("function"),
        };
    body.get("tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(move |_| applies)
        .filter_map(hosted_note)
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
    fn codex_web_search_is_dropped_unless_the_answer_needs_it() {
        let tools = json!([{"type": "function", "name": "f"}, {"type": "web_search", "external_web_access": false}]);
        let mut codex = json!({"model": "m", "input": "hi", "tools": tools, "tool_choice": "auto"});
        assert!(has_droppable(Wire::Responses, Wire::Chat, &codex));
        assert_eq!(
            drop_tuning_fields(Wire::Responses, Wire::Chat, &mut codex),
            vec!["tools.web_search"]
        );
        assert_eq!(codex["tools"], json!([{"type": "function", "name": "f"}]));
        // Forced by tool_choice ("required", or the hosted tool itself): kept, and the
        // translator refuses it.
        for choice in [json!("required"), json!({"type": "web_search"})] {
            let mut forced = json!({"model": "m", "tools": tools, "tool_choice": choice});
            assert!(!has_droppable(Wire::Responses, Wire::Messages, &forced));
            assert!(drop_tuning_fields(Wire::Responses, Wire::Messages, &mut forced).is_empty());
            assert_eq!(forced["tools"], tools);
        }
        // Other hosted tools are never dropped; same wire: untouched.
        let mut other = json!({"tools": [{"type": "file_search"}]});
        assert!(drop_tuning_fields(Wire::Responses, Wire::Chat, &mut other).is_empty());
        let mut same = json!({"tools": tools});
        assert!(!has_droppable(Wire::Responses, Wire::Responses, &same));
        assert!(drop_tuning_fields(Wire::Responses, Wire::Responses, &mut same).is_empty());
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

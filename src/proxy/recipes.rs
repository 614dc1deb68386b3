//! Built-in recipes for `[[api]]` tables: how a common agent tool API takes its key, where it
//! lives, what a placeholder may do there by default, and the variables a program reads to
//! find it. A user writes `recipe = "github"` and a `secret`; any other key of the table
//! overrides the recipe's value (a GitHub Enterprise `base_url`, a narrower `paths` list).
//!
//! Facts per recipe (the upstream's own documentation):
//! - GitHub REST: `https://api.github.com`, `Authorization: Bearer TOKEN` (classic and
//!   fine-grained tokens), `X-GitHub-Api-Version: 2022-11-28`; `gh` reads `GH_TOKEN` /
//!   `GITHUB_TOKEN`, GitHub's MCP server `GITHUB_PERSONAL_ACCESS_TOKEN`, Actions tools
//!   `GITHUB_API_URL`.
//! - Brave Search: `https://api.search.brave.com/res/v1`, `X-Subscription-Token: KEY`, GET
//!   only; MCP servers read `BRAVE_API_KEY`. `BRAVE_API_URL` is byok's name (Brave defines
//!   none).
//! - SerpApi: `https://serpapi.com`, the key as the `api_key` query parameter (the only way
//!   it takes one), GET only; clients read `SERPAPI_API_KEY`. `SERPAPI_API_URL` is byok's name.

/// Where the key goes in the upstream request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyPlace {
    /// A header, its value made from `format` with `{key}` replaced by the key.
    Header { name: String, format: String },
    /// A query parameter of this name.
    Query { name: String },
}

/// One built-in recipe.
pub struct Recipe {
    pub id: &'static str,
    /// What it is, for docs and listings.
    pub title: &'static str,
    pub base_url: &'static str,
    /// `(header, format)` or, when `query` is set, unused.
    pub key_header: Option<(&'static str, &'static str)>,
    pub key_query: Option<&'static str>,
    pub methods: &'static [&'static str],
    pub paths: &'static [&'static str],
    /// Headers added when the client sent none of that name.
    pub headers: &'static [(&'static str, &'static str)],
    /// Variables a program reads its key from: each gets the placeholder.
    pub env: &'static [&'static str],
    /// Variables a program reads the API's base URL from: each gets the proxy's URL.
    pub url_env: &'static [&'static str],
}

/// Every recipe.
pub static RECIPES: &[Recipe] = &[
    Recipe {
        id: "github",
        title: "GitHub REST API",
        base_url: "https://api.github.com",
        key_header: Some(("Authorization", "Bearer {key}")),
        key_query: None,
        // No DELETE by default: deleting a branch, a repository or a release is one call.
        // No `/graphql` either: a GraphQL mutation (`deleteRef`, `deleteIssue`) is a POST
        // there, so it would undo the missing DELETE. A table that needs it lists it in
        // its own `paths`.
        methods: &["GET", "HEAD", "POST", "PATCH", "PUT"],
        paths: &[
            "/user",
            "/users/",
            "/repos/",
            "/orgs/",
            "/search/",
            "/issues",
            "/notifications",
            "/gists",
            "/rate_limit",
            "/meta",
            "/licenses",
            "/emojis",
            "/markdown",
            "/gitignore/",
        ],
        headers: &[("X-GitHub-Api-Version", "2022-11-28")],
        env: &["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PERSONAL_ACCESS_TOKEN"],
        url_env: &["GITHUB_API_URL"],
    },
    Recipe {
        id: "brave-search",
        title: "Brave Search API",
        base_url: "https://api.search.brave.com/res/v1",
        key_header: Some(("X-Subscription-Token", "{key}")),
        key_query: None,
        methods: &["GET"],
        paths: &["/"],
        headers: &[],
        env: &["BRAVE_API_KEY"],
        url_env: &["BRAVE_API_URL"],
    },
    Recipe {
        id: "serpapi",
        title: "SerpApi",
        base_url: "https://serpapi.com",
        key_header: None,
        key_query: Some("api_key"),
        methods: &["GET"],
        paths: &["/search", "/search.json", "/account", "/locations.json"],
        headers: &[],
        env: &["SERPAPI_API_KEY"],
        url_env: &["SERPAPI_API_URL"],
    },
];

/// The recipe named `id`.
pub fn lookup(id: &str) -> Option<&'static Recipe> {
    RECIPES.iter().find(|r| r.id == id)
}

/// The recipe names, for errors.
pub fn ids() -> String {
    RECIPES.iter().map(|r| r.id).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recipe_passes_the_checks_a_hand_written_table_gets() {
        for r in RECIPES {
            let text = format!(
                "[[api]]\nname = \"x\"\nrecipe = \"{}\"\nsecret = \"k\"\n",
                r.id
            );
            let config = crate::config::Config::parse(std::path::Path::new("c.toml"), &text)
                .unwrap_or_else(|e| panic!("{}: {e}", r.id));
            assert_eq!(config.apis().len(), 1, "{}", r.id);
            assert!(r.key_header.is_some() != r.key_query.is_some(), "{}", r.id);
        }
    }
}

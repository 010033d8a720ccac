//! Message search: what a person types, made into a safe FTS5 query. Each word must appear
//! (a prefix of a word counts, so "tomor" finds "tomorrow"); FTS5's own syntax (quotes, NEAR,
//! column filters, `*`, `-`) is never passed through, so no query can fail or reach further.

use crate::ApiError;

/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most words a query keeps.
pub const MAX_TERMS: usize = 8;
/// Results per search when the client does not say, and at most.
pub const DEFAULT_RESULTS: u64 = 20;
pub const MAX_RESULTS: u64 = 50;

/// The FTS5 MATCH expression for `q`.
pub fn fts_query(q: &str) -> Result<String, ApiError> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::invalid("q", format!("Search for at most {MAX_QUERY_CHARS} characters.")));
    }
    let terms: Vec<String> =
        words(q).into_iter().take(MAX_TERMS).map(|word| format!("\"{word}\"*")).collect();
    if terms.is_empty() {
        return Err(ApiError::invalid("q", "Type a word to search for."));
    }
    Ok(terms.join(" "))
}

/// The words of a text as search sees them: runs of letters and digits, lower-cased, each once,
/// in order. The browser indexes what it decrypts with these (an encrypted conversation is
/// searched there), so both searches agree on what a word is.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_lowercase();
        if !out.contains(&word) {
            out.push(word);
        }
    }
    out
}

/// How many results: 1 to 50, 20 when not given.
pub fn result_limit(limit: Option<&str>) -> Result<u64, ApiError> {
    match limit {
        None => Ok(DEFAULT_RESULTS),
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_RESULTS).contains(n))
            .ok_or_else(|| ApiError::invalid("limit", format!("Ask for 1 to {MAX_RESULTS} results."))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_prefix_terms_that_must_all_appear() {
        assert_eq!(fts_query("Dinner tomorrow?").unwrap(), r#""dinner"* "tomorrow"*"#);
        assert_eq!(fts_query("café  ÜBER").unwrap(), r#""café"* "über"*"#);
        assert_eq!(fts_query("日本").unwrap(), r#""日本"*"#);
    }

    #[test]
    fn words_are_lower_cased_once_each_in_order() {
        assert_eq!(words("Trek at 7, TREK at dawn!"), vec!["trek", "at", "7", "dawn"]);
        assert_eq!(words("café-über 日本"), vec!["café", "über", "日本"]);
        assert!(words(" ,.! ").is_empty());
    }

    #[test]
    fn fts_syntax_is_never_passed_through() {
        for hostile in [r#"" OR 1"#, "body:secret", "a NEAR b", "x* -y", "(a) AND ^b"] {
            let query = fts_query(hostile).unwrap();
            assert!(
                query.split(' ').all(|t| t.starts_with('"') && t.ends_with("\"*")),
                "{hostile} → {query}"
            );
            assert_eq!(query.matches('"').count() % 2, 0);
        }
        assert_eq!(fts_query("a b c d e f g h i j").unwrap().split(' ').count(), MAX_TERMS);
    }

    #[test]
    fn empty_or_long_queries_and_bad_limits_are_refused() {
        for bad in ["", "   ", "?!*\"", &"x".repeat(MAX_QUERY_CHARS + 1)] {
            assert_eq!(fts_query(bad).unwrap_err().field.as_deref(), Some("q"));
        }
        assert_eq!(result_limit(None).unwrap(), DEFAULT_RESULTS);
        assert_eq!(result_limit(Some("50")).unwrap(), 50);
        for bad in ["0", "51", "x", "-1"] {
            assert!(result_limit(Some(bad)).is_err());
        }
    }
}

//! What a failed Secrets Manager request means: the `__type` of its JSON error body (never
//! the HTTP status: AWS answers most errors with 400, moto not-found with 404) becomes a
//! [`Class`], a message and a fix. Pure functions, unit-tested.

/// What kind of failure an error code is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    NotFound,
    /// `InvalidRequestException` saying the secret is marked for deletion.
    ScheduledForDeletion,
    Exists,
    AccessDenied,
    Credentials,
    ExpiredToken,
    Kms,
    /// Retried with backoff.
    Retry,
    Other,
}

/// The error code of an answer's body: `__type` without a `namespace#` prefix or `:` suffix
/// (or `<Code>` of an XML error, which the signature check of some front ends answers with).
pub fn code(body: &[u8]) -> Option<(String, String)> {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        let text = String::from_utf8_lossy(body);
        let tag = |t: &str| {
            let start = text.find(&format!("<{t}>"))? + t.len() + 2;
            let end = text[start..].find(&format!("</{t}>"))? + start;
            Some(text[start..end].to_owned())
        };
        return Some((tag("Code")?, tag("Message").unwrap_or_default()));
    };
    let raw = v.get("__type")?.as_str()?;
    let code = raw.rsplit('#').next().unwrap_or(raw);
    let code = code.split(':').next().unwrap_or(code).to_owned();
    let message = v
        .get("message")
        .or_else(|| v.get("Message"))
        .and_then(|m| m.as_str())
        .unwrap_or("")
        .to_owned();
    Some((code, message))
}

/// The class of an error code (with its message, which tells some apart).
pub fn classify(code: &str, message: &str) -> Class {
    match code {
        "ResourceNotFoundException" => Class::NotFound,
        "InvalidRequestException"
            if message.contains("marked for deletion")
                || message.contains("marked deleted")
                || message.contains("scheduled for deletion") =>
        {
            Class::ScheduledForDeletion
        }
        "ResourceExistsException" => Class::Exists,
        "AccessDeniedException" | "AccessDenied" => Class::AccessDenied,
        "ExpiredTokenException" | "ExpiredToken" => Class::ExpiredToken,
        "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "IncompleteSignature"
        | "InvalidSignatureException"
        | "SignatureDoesNotMatch"
        | "RequestExpired"
        | "MissingAuthenticationToken" => Class::Credentials,
        "DecryptionFailure"
        | "EncryptionFailure"
        | "KMSDisabledException"
        | "KMSInvalidStateException" => Class::Kms,
        "ThrottlingException"
        | "Throttling"
        | "TooManyRequestsException"
        | "ServiceUnavailable"
        | "InternalServiceError"
        | "InternalFailure" => Class::Retry,
        _ => Class::Other,
    }
}

/// The message and fix for a classified failure of `action` (e.g. `GetSecretValue`).
pub fn describe(
    class: Class,
    code: &str,
    message: &str,
    action: &str,
    source: &str,
) -> (String, String) {
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    let message = crate::term::sanitize::line(&message).into_owned();
    match class {
        Class::AccessDenied => (
            format!("access denied to secretsmanager:{action}: {message}"),
            format!("the identity from {source} needs secretsmanager:{action} on that secret (docs/teams.md has IAM policies per role)"),
        ),
        Class::Credentials => (
            format!("AWS refused the credentials from {source} ({code}): {message}"),
            "check the access key (and the clock: a skew over 15 minutes fails every request)".into(),
        ),
        Class::ExpiredToken => (
            format!("the session token from {source} has expired ({code})"),
            "get new credentials (`aws sso login`, or a new session token)".into(),
        ),
        Class::Kms => (
            format!("the KMS key of the secret refused {action} ({code}): {message}"),
            "the key may be disabled or the identity lacks kms:Decrypt / kms:GenerateDataKey on it: ask the account's admin".into(),
        ),
        Class::ScheduledForDeletion => (
            format!("the secret is scheduled for deletion: {message}"),
            "`aws secretsmanager restore-secret --secret-id NAME` cancels the deletion".into(),
        ),
        Class::Retry => (
            format!("AWS kept failing {action} ({code}) after retries: {message}"),
            "try again later, or ask for a higher quota".into(),
        ),
        _ => (
            format!("{action} failed ({code}): {message}"),
            "check the store's settings (`byok store show NAME`)".into(),
        ),
    }
}

/// What kind of failure an SSO portal (`GetRoleCredentials`) error code is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SsoClass {
    /// `UnauthorizedException`: the token expired or was revoked since `aws sso login`.
    ExpiredToken,
    /// `ForbiddenException` (what the portal answers for a role the user is not assigned,
    /// though the service model does not list it) or `ResourceNotFoundException`.
    NotAssigned,
    /// `TooManyRequestsException`: retried.
    Retry,
    Other,
}

/// The class of a portal error code.
pub fn sso_class(code: &str) -> SsoClass {
    match code {
        "UnauthorizedException" => SsoClass::ExpiredToken,
        "ForbiddenException" | "ResourceNotFoundException" => SsoClass::NotAssigned,
        "TooManyRequestsException" => SsoClass::Retry,
        _ => SsoClass::Other,
    }
}

/// The message and fix for a failed `GetRoleCredentials` of `profile` (`message` is the
/// portal's, already cleaned of the token).
pub fn describe_sso(
    class: SsoClass,
    code: &str,
    message: &str,
    profile: &str,
    role: &str,
    account: &str,
) -> (String, String) {
    let login = format!("`aws sso login --profile {profile}` signs in again");
    let detail = if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    };
    match class {
        SsoClass::ExpiredToken => (
            format!(
                "the SSO token of profile '{profile}' has expired or is invalid ({code}{detail})"
            ),
            login,
        ),
        SsoClass::NotAssigned => (
            format!(
                "the SSO user is not assigned role {role} in account {account} (profile '{profile}', {code}{detail})"
            ),
            "ask the IAM Identity Center admin to assign the permission set, or fix sso_role_name / sso_account_id (`aws sso list-account-roles` lists yours)".into(),
        ),
        SsoClass::Retry => (
            format!("the SSO portal kept refusing GetRoleCredentials ({code}) after retries"),
            "try again later".into(),
        ),
        SsoClass::Other => (
            format!("the SSO portal refused GetRoleCredentials for profile '{profile}' ({code}{detail})"),
            login,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        let (c, m) =
            code(br#"{"__type":"com.amazonaws#ResourceNotFoundException:x","Message":"gone"}"#)
                .unwrap();
        assert_eq!(
            (c.as_str(), m.as_str()),
            ("ResourceNotFoundException", "gone")
        );
        assert_eq!(
            classify(
                "InvalidRequestException",
                "You can't perform this operation on the secret because it was marked for deletion."
            ),
            Class::ScheduledForDeletion
        );
        assert_eq!(classify("InvalidRequestException", "other"), Class::Other);
        assert_eq!(classify("ThrottlingException", ""), Class::Retry);
        let (c, _) = code(b"<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error></Errors></ErrorResponse>").unwrap();
        assert_eq!(classify(&c, ""), Class::Credentials);
        assert_eq!(classify("DecryptionFailure", ""), Class::Kms);
        let (m, _) = describe(
            Class::AccessDenied,
            "AccessDeniedException",
            "User: arn:aws:iam::1:user/x is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:1:secret:byok/a",
            "GetSecretValue",
            "env",
        );
        assert!(
            m.contains("secretsmanager:GetSecretValue") && m.contains("arn:aws:secretsmanager")
        );
    }

    #[test]
    fn sso_codes() {
        assert_eq!(sso_class("UnauthorizedException"), SsoClass::ExpiredToken);
        assert_eq!(sso_class("ForbiddenException"), SsoClass::NotAssigned);
        assert_eq!(
            sso_class("ResourceNotFoundException"),
            SsoClass::NotAssigned
        );
        assert_eq!(sso_class("TooManyRequestsException"), SsoClass::Retry);
        assert_eq!(sso_class("InvalidRequestException"), SsoClass::Other);
        let (m, fix) = describe_sso(
            SsoClass::ExpiredToken,
            "UnauthorizedException",
            "",
            "team",
            "R",
            "1",
        );
        assert!(m.contains("expired") && fix.contains("aws sso login --profile team"));
        let (m, _) = describe_sso(
            SsoClass::NotAssigned,
            "ForbiddenException",
            "No access",
            "team",
            "Reader",
            "111122223333",
        );
        assert!(m.contains("Reader") && m.contains("111122223333") && m.contains("No access"));
    }
}

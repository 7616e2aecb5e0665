#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

// Masks customer data and secrets before text reaches a log sink.
// - VINs (17 characters of [A-HJ-NPR-Z0-9] with letters and digits): first 3 and last 4 kept
// - mainland mobile numbers (1[3-9]xxxxxxxxx): first 3 and last 4 kept
// - every registered secret (AppSecret, tokens, API keys): replaced by "***"
// - query strings of ws:// and wss:// URLs (they carry credentials): replaced by "?<redacted>"
namespace Redact {

QString text(const QString &in);
// A URL fit for a log line: scheme, host, port and path, never the query or user info.
QString url(const QUrl &url);
QString vin(const QString &vin);
QString phone(const QString &phone);

// Secrets known to the process; every log line is scrubbed of them. Values shorter than
// 4 characters are ignored (they would mask ordinary words).
void registerSecret(const QString &secret);
void clearSecrets();

} // namespace Redact

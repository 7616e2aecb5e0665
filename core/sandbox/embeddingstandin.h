#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

struct HttpRequest;
class HttpResponder;

// A deterministic OpenAI-compatible POST {base}/embeddings for the tests and the --demo sandbox
// (served by LlmStandIn on the same port). "input" is a string or an array of strings; the
// answer is {"object":"list","data":[{"object":"embedding","index":i,"embedding":[...]}],
// "model":..,"usage":{..}}.
//
// The vectors are a feature-hashing model of the text, so they behave like a (very small)
// semantic model: texts that share words get a high cosine, unrelated texts one near 0. Features
// are the CJK character bigrams and the Latin/digit words of the lower-cased text, each hashed
// (FNV-1a, no per-process seed) to one of `dimensions` slots with a sign. Vectors are
// L2-normalised; an empty text gives the zero vector. The same text always gives the same vector,
// in every process.
class EmbeddingStandIn final
{
public:
    static constexpr int kDefaultDimensions = 256;
    static constexpr int kMaxDimensions = 4096;
    static constexpr int kMaxInputs = 256;

    static QList<float> embed(const QString &text, int dimensions = kDefaultDimensions);
    // Whether the request is ours (a path ending in /embeddings); answers it when it is.
    static bool handle(const HttpRequest &request, HttpResponder *responder, const QString &model);
    // The response body for a request body, and the HTTP status.
    static QByteArray respond(const QByteArray &requestBody, const QString &model, int *status);
};

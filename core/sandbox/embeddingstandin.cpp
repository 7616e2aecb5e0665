#include "sandbox/embeddingstandin.h"

#include <cmath>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "sandbox/httpserver.h"

using namespace Qt::Literals::StringLiterals;

namespace {

bool isCjk(char16_t c)
{
    return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
}

quint32 fnv1a(QStringView s)
{
    quint32 h = 2166136261u;
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        h = (h ^ quint32(u & 0xff)) * 16777619u;
        h = (h ^ quint32(u >> 8)) * 16777619u;
    }
    return h;
}

QByteArray errorBody(const QString &message)
{
    const QJsonObject e{
        {u"message"_s, message}, {u"type"_s, u"invalid_request_error"_s}, {u"code"_s, QJsonValue()}};
    return QJsonDocument(QJsonObject{{u"error"_s, e}}).toJson(QJsonDocument::Compact);
}

} // namespace

QList<float> EmbeddingStandIn::embed(const QString &text, int dimensions)
{
    dimensions = std::clamp(dimensions, 1, kMaxDimensions);
    QList<double> acc(dimensions, 0.0);
    const QString s = text.toLower();
    auto add = [&acc, dimensions](QStringView feature, double weight) {
        const quint32 h = fnv1a(feature);
        acc[int(h % quint32(dimensions))] += (h & 0x80000000u) ? -weight : weight;
    };
    qsizetype i = 0;
    while (i < s.size()) {
        const char16_t c = s.at(i).unicode();
        if (isCjk(c)) {
            qsizetype end = i;
            while (end < s.size() && isCjk(s.at(end).unicode()))
                ++end;
            const QStringView run = QStringView(s).mid(i, end - i);
            if (run.size() == 1)
                add(run, 1.0);
            for (qsizetype k = 0; k + 1 < run.size(); ++k)
                add(run.mid(k, 2), 1.0);
            i = end;
        } else if (s.at(i).isLetterOrNumber()) {
            qsizetype end = i;
            while (end < s.size() && s.at(end).isLetterOrNumber() && !isCjk(s.at(end).unicode()))
                ++end;
            add(QStringView(s).mid(i, end - i), 1.5); // a Latin word says more than one bigram
            i = end;
        } else {
            ++i;
        }
    }
    double norm = 0;
    for (const double v : std::as_const(acc))
        norm += v * v;
    norm = std::sqrt(norm);
    QList<float> out(dimensions, 0.0f);
    if (norm > 0) {
        for (int d = 0; d < dimensions; ++d)
            out[d] = float(acc.at(d) / norm);
    }
    return out;
}

QByteArray EmbeddingStandIn::respond(const QByteArray &requestBody, const QString &model, int *status)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(requestBody, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *status = 400;
        return errorBody(u"the request body must be a JSON object"_s);
    }
    const QJsonObject body = doc.object();
    QStringList inputs;
    const QJsonValue input = body.value(u"input"_s);
    if (input.isString()) {
        inputs << input.toString();
    } else if (input.isArray()) {
        const QJsonArray a = input.toArray();
        for (const QJsonValue &v : a) {
            if (!v.isString()) {
                *status = 400;
                return errorBody(u"\"input\" must be a string or an array of strings"_s);
            }
            inputs << v.toString();
        }
    }
    if (inputs.isEmpty() || inputs.size() > kMaxInputs) {
        *status = 400;
        return errorBody(u"\"input\" must hold 1 to %1 strings"_s.arg(kMaxInputs));
    }
    int dims = kDefaultDimensions;
    if (body.contains(u"dimensions"_s)) {
        dims = body.value(u"dimensions"_s).toInt(-1);
        if (dims < 1 || dims > kMaxDimensions) {
            *status = 400;
            return errorBody(u"\"dimensions\" must be 1 to %1"_s.arg(kMaxDimensions));
        }
    }
    QJsonArray data;
    qint64 tokens = 0;
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        const QList<float> v = embed(inputs.at(i), dims);
        QJsonArray values;
        for (const float f : v)
            values.append(double(f));
        data.append(
            QJsonObject{{u"object"_s, u"embedding"_s}, {u"index"_s, qint64(i)}, {u"embedding"_s, values}});
        tokens += inputs.at(i).size();
    }
    *status = 200;
    const QJsonObject answer{
        {u"object"_s, u"list"_s},
        {u"data"_s, data},
        {u"model"_s, body.value(u"model"_s).toString(model)},
        {u"usage"_s, QJsonObject{{u"prompt_tokens"_s, tokens}, {u"total_tokens"_s, tokens}}}};
    return QJsonDocument(answer).toJson(QJsonDocument::Compact);
}

bool EmbeddingStandIn::handle(const HttpRequest &request, HttpResponder *responder, const QString &model)
{
    if (!request.path.endsWith("/v1/embeddings") || request.method != "POST")
        return false;
    int status = 0;
    const QByteArray body = respond(request.body, model, &status);
    responder->respond(status, body);
    return true;
}

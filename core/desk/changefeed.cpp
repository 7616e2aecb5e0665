#include "desk/changefeed.h"

#include <array>

namespace {

struct KindName
{
    Change::Kind kind;
    const char *name;
};

constexpr std::array kKindNames{
    KindName{Change::Kind::SessionAdded, "session_added"},
    KindName{Change::Kind::SessionChanged, "session_changed"},
    KindName{Change::Kind::TurnAdded, "turn_added"},
    KindName{Change::Kind::DraftCreated, "draft_created"},
    KindName{Change::Kind::DraftDecided, "draft_decided"},
    KindName{Change::Kind::DeliveryChanged, "delivery_changed"},
    KindName{Change::Kind::AnalysisUpdated, "analysis_updated"},
    KindName{Change::Kind::AnswerProgress, "answer_progress"},
    KindName{Change::Kind::Attention, "attention"},
    KindName{Change::Kind::DefaultModeChanged, "default_mode_changed"},
    KindName{Change::Kind::PausedChanged, "paused_changed"},
};

} // namespace

QString Change::kindName(Kind kind)
{
    for (const KindName &k : kKindNames) {
        if (k.kind == kind)
            return QString::fromLatin1(k.name);
    }
    return {};
}

QJsonObject Change::toJson() const
{
    QJsonObject o{{QStringLiteral("kind"), kindName(kind)}};
    if (sessionId)
        o.insert(QStringLiteral("session"), sessionId);
    if (turnId)
        o.insert(QStringLiteral("turn"), turnId);
    if (draftId)
        o.insert(QStringLiteral("draft"), draftId);
    if (outboxId)
        o.insert(QStringLiteral("outbox"), outboxId);
    if (!detail.isEmpty())
        o.insert(QStringLiteral("detail"), detail);
    return o;
}

std::optional<Change> Change::fromJson(const QJsonObject &json)
{
    const QString name = json.value(QStringLiteral("kind")).toString();
    for (const KindName &k : kKindNames) {
        if (name != QLatin1String(k.name))
            continue;
        Change c;
        c.kind = k.kind;
        c.sessionId = json.value(QStringLiteral("session")).toInteger();
        c.turnId = json.value(QStringLiteral("turn")).toInteger();
        c.draftId = json.value(QStringLiteral("draft")).toInteger();
        c.outboxId = json.value(QStringLiteral("outbox")).toInteger();
        c.detail = json.value(QStringLiteral("detail")).toString();
        return c;
    }
    return std::nullopt;
}

ChangeFeed::ChangeFeed(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Change>();
}

ChangeFeed::~ChangeFeed() = default;

void ChangeFeed::publish(const Change &change)
{
    ++m_published;
    emit changed(change);
}

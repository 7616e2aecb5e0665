#include "bot/namedirectory.h"

#include <QJsonObject>
#include <QPointer>
#include <QUrl>

#include "chat/sessionmanager.h"
#include "feishu/openapiclient.h"
#include "logging_p.h"

NameDirectory::NameDirectory(OpenApiClient *api, SessionManager *sessions, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_sessions(sessions)
{
    connect(m_sessions, &SessionManager::sessionCreated, this, &NameDirectory::onSessionCreated);
}

NameDirectory::~NameDirectory() = default;

void NameDirectory::onSessionCreated(qint64 sessionId)
{
    if (m_stopped)
        return;
    const std::optional<Session> s = m_sessions->session(sessionId);
    if (!s)
        return;
    if (!s->openId.isEmpty() && s->userName.isEmpty())
        want(Kind::User, s->openId);
    if (!s->chatId.isEmpty() && s->chatType != QLatin1String("p2p"))
        want(Kind::Chat, s->chatId);
}

void NameDirectory::want(Kind kind, const QString &id)
{
    const QHash<QString, QString> &known = kind == Kind::User ? m_userNames : m_chatNames;
    if (const auto it = known.constFind(id); it != known.constEnd()) {
        apply(kind, id, it.value()); // a new session of someone already named
        return;
    }
    const QString key = (kind == Kind::User ? QStringLiteral("u:") : QStringLiteral("c:")) + id;
    if (m_asked.contains(key))
        return;
    Rest &r = rest(kind);
    if (r.since.isValid() && !r.since.hasExpired(kRestAfterRefusalMs))
        return;
    m_asked.insert(key);
    m_queue.append({kind, id});
    startNext();
}

void NameDirectory::startNext()
{
    while (!m_stopped && m_inFlight < kMaxInFlight && !m_queue.isEmpty()) {
        const Lookup lookup = m_queue.takeFirst();
        ++m_inFlight;
        const QString id = QString::fromLatin1(QUrl::toPercentEncoding(lookup.id));
        const QString path =
            lookup.kind == Kind::User
                ? QStringLiteral("/open-apis/contact/v3/users/%1?user_id_type=open_id").arg(id)
                : QStringLiteral("/open-apis/im/v1/chats/%1").arg(id);
        QPointer<NameDirectory> self(this);
        m_api->request(
            lookup.kind == Kind::User ? QStringLiteral("user name") : QStringLiteral("chat name"), "GET",
            path, {}, true, [self, lookup](const OpenApiClient::Result &r) {
                if (!self)
                    return;
                const QJsonObject data = r.json.value(QLatin1String("data")).toObject();
                const QString name =
                    lookup.kind == Kind::User
                        ? data.value(QLatin1String("user")).toObject().value(QLatin1String("name")).toString()
                        : data.value(QLatin1String("name")).toString();
                self->finished(lookup, r.ok, name.trimmed(), r.code, r.message);
            });
    }
}

void NameDirectory::finished(const Lookup &lookup, bool ok, const QString &name, int code,
                             const QString &message)
{
    --m_inFlight;
    if (m_stopped)
        return;
    const QString key = (lookup.kind == Kind::User ? QStringLiteral("u:") : QStringLiteral("c:")) + lookup.id;
    if (ok && !name.isEmpty()) {
        (lookup.kind == Kind::User ? m_userNames : m_chatNames).insert(lookup.id, name);
        apply(lookup.kind, lookup.id, name);
    } else if (ok) {
        qCDebug(lcSession) << "the directory has no name for" << lookup.id;
    } else {
        // Refused: rest this kind; the id may be asked again after the rest.
        m_asked.remove(key);
        Rest &r = rest(lookup.kind);
        r.since.start();
        if (!r.logged) {
            r.logged = true;
            qCWarning(lcSession).noquote()
                << (lookup.kind == Kind::User
                        ? QStringLiteral("customer names cannot be read (code %1: %2); the console shows "
                                         "open_ids. Grant the app contact:user.base:readonly to see names.")
                        : QStringLiteral("group names cannot be read (code %1: %2); the console shows chat "
                                         "ids. The app needs im:chat and the bot in the group."))
                       .arg(code)
                       .arg(message.left(200));
        }
        // What waits of this kind rests too.
        m_queue.removeIf([&](const Lookup &l) {
            if (l.kind != lookup.kind)
                return false;
            m_asked.remove((l.kind == Kind::User ? QStringLiteral("u:") : QStringLiteral("c:")) + l.id);
            return true;
        });
    }
    startNext();
}

void NameDirectory::apply(Kind kind, const QString &id, const QString &name)
{
    if (kind == Kind::User)
        m_sessions->setUserName(id, name);
    else
        m_sessions->setChatName(id, name);
}

#include "logging/redact.h"

#include <QMutex>
#include <QRegularExpression>

namespace {

QMutex g_secretsMutex;
QStringList g_secrets;

// thread_local: the log is written from the main thread and the Feishu I/O thread (and worker
// threads), and Qt does not promise that one QRegularExpression may match in two threads at once.
const QRegularExpression &vinPattern()
{
    // VIN letters exclude I, O and Q. A VIN mixes letters and digits; a 17-char run of only one
    // kind (hex ids, long numbers) is left alone.
    thread_local const QRegularExpression re(
        QStringLiteral("(?<![A-Za-z0-9])(?=[A-HJ-NPR-Z0-9]*[0-9])(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])"
                       "[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])"));
    return re;
}

const QRegularExpression &phonePattern()
{
    thread_local const QRegularExpression re(
        QStringLiteral("(?<![0-9])(?:\\+?86[- ]?)?1[3-9][0-9]{9}(?![0-9])"));
    return re;
}

const QRegularExpression &wsUrlPattern()
{
    thread_local const QRegularExpression re(QStringLiteral("(wss?://[^\\s?\"']+)\\?[^\\s\"']*"),
                                             QRegularExpression::CaseInsensitiveOption);
    return re;
}

QString maskMiddle(const QString &s, int keepHead, int keepTail)
{
    if (s.size() <= keepHead + keepTail)
        return QString(s.size(), QLatin1Char('*'));
    return s.left(keepHead) + QString(s.size() - keepHead - keepTail, QLatin1Char('*')) + s.right(keepTail);
}

QString replaceAll(const QString &in, const QRegularExpression &re, auto &&fn)
{
    QString out;
    qsizetype last = 0;
    auto it = re.globalMatch(in);
    if (!it.hasNext())
        return in;
    while (it.hasNext()) {
        const auto m = it.next();
        out += QStringView(in).mid(last, m.capturedStart() - last);
        out += fn(m);
        last = m.capturedEnd();
    }
    out += QStringView(in).mid(last);
    return out;
}

} // namespace

namespace Redact {

QString vin(const QString &v)
{
    return maskMiddle(v, 3, 4);
}

QString phone(const QString &p)
{
    // Keep a +86 prefix readable, mask the middle of the 11-digit number.
    const qsizetype digitsStart = p.size() - 11;
    return p.left(digitsStart) + maskMiddle(p.mid(digitsStart), 3, 4);
}

QString url(const QUrl &u)
{
    QUrl copy = u.adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo | QUrl::RemoveFragment);
    QString s = copy.toString();
    if (u.hasQuery())
        s += QStringLiteral("?<redacted>");
    return s;
}

QString text(const QString &in)
{
    QString out = in;
    {
        QMutexLocker lock(&g_secretsMutex);
        for (const QString &secret : std::as_const(g_secrets))
            out.replace(secret, QStringLiteral("***"));
    }
    out = replaceAll(out, wsUrlPattern(), [](const QRegularExpressionMatch &m) -> QString {
        return m.captured(1) + QStringLiteral("?<redacted>");
    });
    out = replaceAll(out, vinPattern(),
                     [](const QRegularExpressionMatch &m) -> QString { return vin(m.captured(0)); });
    out = replaceAll(out, phonePattern(),
                     [](const QRegularExpressionMatch &m) -> QString { return phone(m.captured(0)); });
    return out;
}

void registerSecret(const QString &secret)
{
    if (secret.size() < 4)
        return;
    QMutexLocker lock(&g_secretsMutex);
    if (!g_secrets.contains(secret))
        g_secrets.append(secret);
    // Longest first, so a secret that contains another is masked whole.
    std::sort(g_secrets.begin(), g_secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
}

void clearSecrets()
{
    QMutexLocker lock(&g_secretsMutex);
    g_secrets.clear();
}

} // namespace Redact

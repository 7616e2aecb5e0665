#include "config/envfile.h"

#include <QFile>

namespace {

bool isKeyChar(QChar c, bool first)
{
    return c == QLatin1Char('_') ||
           (c.unicode() < 128 && (c.isLetter() || (!first && (c.isDigit() || c == QLatin1Char('.')))));
}

} // namespace

bool EnvFile::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        m_error = f.errorString();
        return false;
    }
    if (f.size() > 4 * 1024 * 1024) {
        m_error = QStringLiteral("file is larger than 4 MiB; not a .env file");
        return false;
    }
    parse(f.readAll());
    return true;
}

void EnvFile::parse(const QByteArray &utf8Contents)
{
    QString text = QString::fromUtf8(utf8Contents);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const int lineNo = i + 1;
        QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QLatin1String("export ")))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            m_problems.append({lineNo, QStringLiteral("expected KEY=value")});
            continue;
        }
        const QString key = line.left(eq).trimmed();
        bool keyOk = !key.isEmpty();
        for (qsizetype k = 0; keyOk && k < key.size(); ++k)
            keyOk = isKeyChar(key[k], k == 0);
        if (!keyOk) {
            m_problems.append({lineNo, QStringLiteral("invalid key name")});
            continue;
        }
        QString rest = line.mid(eq + 1).trimmed();
        QString value;
        if (rest.startsWith(QLatin1Char('\'')) || rest.startsWith(QLatin1Char('"'))) {
            const QChar quote = rest[0];
            bool closed = false;
            // A double-quoted value may span lines, as in python-dotenv.
            QString buf = rest.mid(1);
            int j = i;
            for (;;) {
                for (qsizetype p = 0; p < buf.size(); ++p) {
                    const QChar c = buf[p];
                    if (quote == QLatin1Char('"') && c == QLatin1Char('\\') && p + 1 < buf.size()) {
                        const QChar n = buf[++p];
                        if (n == QLatin1Char('n'))
                            value += QLatin1Char('\n');
                        else if (n == QLatin1Char('t'))
                            value += QLatin1Char('\t');
                        else if (n == QLatin1Char('r'))
                            value += QLatin1Char('\r');
                        else
                            value += n;
                    } else if (c == quote) {
                        closed = true;
                        const QString tail = buf.mid(p + 1).trimmed();
                        if (!tail.isEmpty() && !tail.startsWith(QLatin1Char('#')))
                            m_problems.append(
                                {lineNo, QStringLiteral("text after the closing quote ignored")});
                        break;
                    } else {
                        value += c;
                    }
                }
                if (closed || quote == QLatin1Char('\'') || j + 1 >= lines.size())
                    break;
                value += QLatin1Char('\n');
                buf = lines[++j];
            }
            if (!closed) {
                m_problems.append({lineNo, QStringLiteral("unterminated quoted value")});
                continue;
            }
            i = j;
        } else {
            const qsizetype hash = rest.indexOf(QStringLiteral(" #"));
            value = (hash >= 0 ? rest.left(hash) : rest).trimmed();
        }
        m_values.insert(key, value);
    }
}

QByteArray EnvFile::quoted(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""))
        .replace(QLatin1Char('\n'), QLatin1String("\\n"));
    return (QLatin1Char('"') + v + QLatin1Char('"')).toUtf8();
}

#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

// Reads a .env file the way python-dotenv does for the cases people write by hand:
//   KEY=value, export KEY=value, 'single quoted' (literal), "double quoted" (\n \t \" \\ escapes),
//   unquoted values with trailing " # comment", blank lines and # comments.
// Malformed lines are reported with their line number and skipped; the rest still loads.
class EnvFile
{
public:
    struct Problem
    {
        int line = 0;
        QString message;
    };

    // `value` as a double-quoted .env value that parse() reads back unchanged ("a \"b\"\\n").
    static QByteArray quoted(const QString &value);

    bool load(const QString &path);             // false when the file cannot be read
    void parse(const QByteArray &utf8Contents); // never fails; problems() lists what was skipped

    QString value(const QString &key, const QString &fallback = {}) const
    {
        return m_values.value(key, fallback);
    }
    bool contains(const QString &key) const { return m_values.contains(key); }
    const QHash<QString, QString> &values() const { return m_values; }
    const QList<Problem> &problems() const { return m_problems; }
    QString errorString() const { return m_error; }

private:
    QHash<QString, QString> m_values;
    QList<Problem> m_problems;
    QString m_error;
};

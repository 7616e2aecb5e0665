#include "assistant/entityextractor.h"

#include <QRegularExpression>

#include "assistant/tspvocabulary.h"
#include "logging/redact.h"

namespace {

int vinValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    switch (u) {
    case 'A': case 'J': return 1;
    case 'B': case 'K': case 'S': return 2;
    case 'C': case 'L': case 'T': return 3;
    case 'D': case 'M': case 'U': return 4;
    case 'E': case 'N': case 'V': return 5;
    case 'F': case 'W': return 6;
    case 'G': case 'P': case 'X': return 7;
    case 'H': case 'Y': return 8;
    case 'R': case 'Z': return 9;
    default: return -1; // I, O, Q and anything else
    }
}

bool isAlnum(QChar c) { return c.unicode() < 0x80 && c.isLetterOrNumber(); }

bool hasLetterAndDigit(const QString &s)
{
    bool letter = false, digit = false;
    for (QChar c : s) {
        letter = letter || c.isLetter();
        digit = digit || c.isDigit();
    }
    return letter && digit;
}

// A VIN keyword shortly before position `pos`.
bool vinKeywordBefore(const QString &text, qsizetype pos)
{
    const QString before = text.mid(qMax<qsizetype>(0, pos - 12), qMin<qsizetype>(pos, 12)).toUpper();
    return before.contains(QLatin1String("VIN")) || before.contains(QStringLiteral("车架号")) || before.contains(QStringLiteral("车架"));
}

struct Run
{
    qsizetype start;
    qsizetype end; // exclusive
};

class Collector
{
public:
    explicit Collector(const QString &text)
        : m_text(text)
        , m_claimed(text.size(), false)
    {
    }

    bool free(qsizetype start, qsizetype len) const
    {
        for (qsizetype i = start; i < start + len; ++i) {
            if (m_claimed.at(i))
                return false;
        }
        return true;
    }

    void add(Entity e)
    {
        for (qsizetype i = e.start; i < e.start + e.length; ++i)
            m_claimed[i] = true;
        for (const Entity &have : std::as_const(m_out)) {
            if (have.type == e.type && have.value == e.value)
                return;
        }
        m_out.append(std::move(e));
    }

    QList<Entity> take()
    {
        std::stable_sort(m_out.begin(), m_out.end(), [](const Entity &a, const Entity &b) { return a.start < b.start; });
        return m_out;
    }

    const QString &text() const { return m_text; }

private:
    const QString &m_text;
    QList<bool> m_claimed;
    QList<Entity> m_out;
};

Entity make(Entity::Type type, const QString &value, qsizetype start, qsizetype length, bool valid = true,
            const QString &note = {})
{
    Entity e;
    e.type = type;
    e.value = value;
    e.valid = valid;
    e.note = note;
    e.start = start;
    e.length = length;
    return e;
}

void findVins(Collector &c)
{
    const QString &t = c.text();
    QList<Run> runs;
    for (qsizetype i = 0; i < t.size();) {
        if (!isAlnum(t.at(i))) {
            ++i;
            continue;
        }
        qsizetype j = i;
        while (j < t.size() && isAlnum(t.at(j)))
            ++j;
        runs.append({i, j});
        i = j;
    }
    auto consider = [&](qsizetype start, qsizetype end, const QString &candidate, bool grouped) {
        if (candidate.size() != 17 || !hasLetterAndDigit(candidate) || !c.free(start, end - start))
            return;
        bool alphabet = true;
        for (QChar ch : candidate)
            alphabet = alphabet && vinValue(ch) >= 0;
        if (!alphabet) {
            // I, O or Q inside: a mistyped VIN when the text says so, otherwise some other id.
            if (!grouped && vinKeywordBefore(t, start))
                c.add(make(Entity::Type::Vin, candidate, start, end - start, false,
                           QStringLiteral("contains I, O or Q, which VINs never use")));
            return;
        }
        const bool ok = EntityExtractor::isValidVin(candidate);
        // Groups joined across spaces are accepted only when they check out (or the text says
        // VIN): otherwise ordinary words and numbers would pass for VINs.
        if (grouped && !ok && !vinKeywordBefore(t, start))
            return;
        c.add(make(Entity::Type::Vin, candidate, start, end - start, ok,
                   ok ? QString() : QStringLiteral("check digit (position 9) should be %1").arg(EntityExtractor::vinCheckDigit(candidate))));
    };
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const Run &r = runs.at(i);
        if (r.end - r.start == 17) {
            consider(r.start, r.end, t.mid(r.start, 17).toUpper(), false);
            continue;
        }
        if (r.end - r.start > 17)
            continue;
        // Groups: "LSV AB2BJ X N2000001", "LSVAB2-BJXN2-000001".
        QString joined = t.mid(r.start, r.end - r.start);
        for (qsizetype j = i + 1; j < runs.size() && joined.size() < 17; ++j) {
            const QString gap = t.mid(runs.at(j - 1).end, runs.at(j).start - runs.at(j - 1).end);
            if (gap.size() > 2 || !std::all_of(gap.begin(), gap.end(), [](QChar ch) { return ch == QLatin1Char(' ') || ch == QLatin1Char('-'); }))
                break;
            joined += t.mid(runs.at(j).start, runs.at(j).end - runs.at(j).start);
            if (joined.size() == 17)
                consider(r.start, runs.at(j).end, joined.toUpper(), true);
        }
    }
}

void findByPattern(Collector &c, const QRegularExpression &re, const std::function<void(const QRegularExpressionMatch &)> &fn)
{
    for (auto it = re.globalMatch(c.text()); it.hasNext();) {
        const auto m = it.next();
        if (c.free(m.capturedStart(), m.capturedLength()))
            fn(m);
    }
}

void findNumbers(Collector &c)
{
    const QString &t = c.text();
    // ICCID first (longest), then IMEI, then phones.
    static const QRegularExpression iccid(QStringLiteral("(?<![0-9A-Za-z])89[0-9]{17,18}(?![0-9A-Za-z])"));
    findByPattern(c, iccid, [&](const QRegularExpressionMatch &m) {
        const bool ok = EntityExtractor::luhnValid(m.captured(0));
        c.add(make(Entity::Type::Iccid, m.captured(0), m.capturedStart(), m.capturedLength(), ok,
                   ok ? QString() : QStringLiteral("Luhn check digit does not match")));
    });
    static const QRegularExpression imei(QStringLiteral("(?<![0-9A-Za-z])[0-9]{15}(?![0-9A-Za-z])"));
    findByPattern(c, imei, [&](const QRegularExpressionMatch &m) {
        const bool ok = EntityExtractor::luhnValid(m.captured(0));
        const QString before = t.mid(qMax<qsizetype>(0, m.capturedStart() - 12), qMin<qsizetype>(m.capturedStart(), 12));
        if (ok || before.contains(QLatin1String("IMEI"), Qt::CaseInsensitive))
            c.add(make(Entity::Type::Imei, m.captured(0), m.capturedStart(), m.capturedLength(), ok,
                       ok ? QString() : QStringLiteral("Luhn check digit does not match")));
    });
    static const QRegularExpression phone(
        QStringLiteral("(?<![0-9A-Za-z+])(?:(?:\\+|00)86[ -]?)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9A-Za-z])"));
    findByPattern(c, phone, [&](const QRegularExpressionMatch &m) {
        c.add(make(Entity::Type::Phone, m.captured(1) + m.captured(2) + m.captured(3), m.capturedStart(), m.capturedLength()));
    });
}

void findPlates(Collector &c)
{
    static const QRegularExpression plate(
        QStringLiteral("([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])[ ]?([A-HJ-NP-Z])[ ·•.\\-]?"
                       "((?:[DF][A-HJ-NP-Z0-9][0-9]{4})|(?:[0-9]{5}[DF])|(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]))"
                       "(?![A-Za-z0-9])"),
        QRegularExpression::CaseInsensitiveOption);
    findByPattern(c, plate, [&](const QRegularExpressionMatch &m) {
        const QString rest = m.captured(3).toUpper();
        // I and O are never used on plates; the case-insensitive match lets i/o through.
        if (rest.contains(QLatin1Char('I')) || rest.contains(QLatin1Char('O')) || m.captured(2).toUpper() == QLatin1String("I")
            || m.captured(2).toUpper() == QLatin1String("O"))
            return;
        const QString value = m.captured(1) + m.captured(2).toUpper() + rest;
        c.add(make(Entity::Type::Plate, value, m.capturedStart(), m.capturedLength(), true,
                   rest.size() == 6 ? QStringLiteral("新能源") : QString()));
    });
}

void findCodes(Collector &c)
{
    // Not right after a province character: "粤B1234" is a (short) plate, not a body code.
    static const QRegularExpression dtc(QStringLiteral("(?<![A-Za-z0-9\\-京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])"
                                                       "[PBCU][0-3][0-9A-F]{3}(?![A-Za-z0-9])"),
                                        QRegularExpression::CaseInsensitiveOption);
    findByPattern(c, dtc, [&](const QRegularExpressionMatch &m) {
        c.add(make(Entity::Type::Dtc, m.captured(0).toUpper(), m.capturedStart(), m.capturedLength()));
    });
    static const QRegularExpression code(QStringLiteral("(?<![A-Za-z0-9京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])"
                                                        "([EAKUC])([-－]?)([0-9]{4})(?![0-9A-Za-z])"),
                                         QRegularExpression::CaseInsensitiveOption);
    findByPattern(c, code, [&](const QRegularExpressionMatch &m) {
        const QChar letter = m.captured(1).toUpper().at(0);
        const QChar family = m.captured(3).at(0);
        static const QString expected = QStringLiteral("E1A2K3U4C6");
        const qsizetype at = expected.indexOf(letter);
        const bool known = at >= 0 && expected.at(at + 1) == family;
        const bool dashed = !m.captured(2).isEmpty();
        if (!known && !dashed)
            return; // "A1234" without a dash is too weak to call a code
        c.add(make(Entity::Type::ErrorCode, QString(letter) + QLatin1Char('-') + m.captured(3), m.capturedStart(),
                   m.capturedLength(), known, known ? QString() : QStringLiteral("not a known code family (E-10xx, A-20xx, K-30xx, U-40xx, C-60xx)")));
    });
}

void findVersions(Collector &c)
{
    const QString &t = c.text();
    static const QRegularExpression app(
        QStringLiteral("(?:驰联\\s*)?(?:APP|App|app|客户端)\\s*(?:的)?\\s*(?:版本号?|ver(?:sion)?)?\\s*(?:是|为)?\\s*[:：]?\\s*[vV]?\\s*"
                       "([0-9]{1,2}\\.[0-9]{1,2}(?:\\.[0-9]{1,3}){0,2})(?![0-9.])"));
    findByPattern(c, app, [&](const QRegularExpressionMatch &m) {
        c.add(make(Entity::Type::AppVersion, m.captured(1), m.capturedStart(1), m.capturedLength(1)));
    });
    static const QRegularExpression bare(QStringLiteral("(?<![A-Za-z0-9.])[vV]([0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,3})(?![0-9.])"));
    findByPattern(c, bare, [&](const QRegularExpressionMatch &m) {
        const QString before = t.mid(qMax<qsizetype>(0, m.capturedStart() - 8), qMin<qsizetype>(m.capturedStart(), 8));
        static const QRegularExpression notApp(QStringLiteral("固件|车机|系统|T-?Box|CL-?OS|OTA|MCU|模组"),
                                               QRegularExpression::CaseInsensitiveOption);
        if (notApp.match(before).hasMatch())
            return;
        c.add(make(Entity::Type::AppVersion, m.captured(1), m.capturedStart(), m.capturedLength()));
    });
}

void findModels(Collector &c)
{
    static const QRegularExpression model(QStringLiteral("(云驰|朔风|凌霄|青屿|远岫|铂岸|墨川)\\s*([A-Za-z][0-9])(\\s*[Pp][Rr][Oo](?![A-Za-z]))?"));
    findByPattern(c, model, [&](const QRegularExpressionMatch &m) {
        QString value = m.captured(1) + QLatin1Char(' ') + m.captured(2).toUpper();
        if (!m.captured(3).isEmpty())
            value += QStringLiteral(" Pro");
        const bool known = EntityExtractor::knownModels().contains(value);
        c.add(make(Entity::Type::VehicleModel, value, m.capturedStart(), m.capturedLength(), known,
                   known ? QString() : QStringLiteral("not a model of this brand")));
    });
}

} // namespace

QString Entity::typeName(Type type)
{
    switch (type) {
    case Type::Vin:
        return QStringLiteral("vin");
    case Type::Plate:
        return QStringLiteral("plate");
    case Type::Phone:
        return QStringLiteral("phone");
    case Type::Imei:
        return QStringLiteral("imei");
    case Type::Iccid:
        return QStringLiteral("iccid");
    case Type::Dtc:
        return QStringLiteral("dtc");
    case Type::ErrorCode:
        return QStringLiteral("error_code");
    case Type::AppVersion:
        return QStringLiteral("app_version");
    case Type::VehicleModel:
        return QStringLiteral("vehicle_model");
    }
    return {};
}

bool Entity::parseType(const QString &name, Type *type)
{
    for (Type t : {Type::Vin, Type::Plate, Type::Phone, Type::Imei, Type::Iccid, Type::Dtc, Type::ErrorCode,
                   Type::AppVersion, Type::VehicleModel}) {
        if (typeName(t) == name) {
            *type = t;
            return true;
        }
    }
    return false;
}

QString Entity::masked() const
{
    auto keep = [this](int head, int tail) -> QString {
        if (value.size() <= head + tail)
            return QString(value.size(), QLatin1Char('*'));
        return value.left(head) + QString(value.size() - head - tail, QLatin1Char('*')) + value.right(tail);
    };
    switch (type) {
    case Type::Vin:
        return Redact::vin(value);
    case Type::Phone:
        return value.size() >= 11 ? Redact::phone(value) : keep(0, 0);
    case Type::Plate:
        return keep(2, 1);
    case Type::Imei:
        return keep(4, 2);
    case Type::Iccid:
        return keep(6, 2);
    case Type::Dtc:
    case Type::ErrorCode:
    case Type::AppVersion:
    case Type::VehicleModel:
        return value;
    }
    return {};
}

QChar EntityExtractor::vinCheckDigit(const QString &vin)
{
    static constexpr int weights[17] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    if (vin.size() != 17)
        return {};
    int sum = 0;
    for (int i = 0; i < 17; ++i) {
        const int v = vinValue(vin.at(i).toUpper());
        if (v < 0)
            return {};
        sum += v * weights[i];
    }
    const int r = sum % 11;
    return r == 10 ? QLatin1Char('X') : QChar(u'0' + r);
}

bool EntityExtractor::isValidVin(const QString &vin)
{
    const QChar check = vinCheckDigit(vin);
    return !check.isNull() && vin.at(8).toUpper() == check;
}

bool EntityExtractor::luhnValid(const QString &digits)
{
    if (digits.size() < 2)
        return false;
    int sum = 0;
    bool twice = false;
    for (qsizetype i = digits.size() - 1; i >= 0; --i) {
        const QChar ch = digits.at(i);
        if (!ch.isDigit() || ch.unicode() > '9')
            return false;
        int d = ch.unicode() - '0';
        if (twice) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

const QStringList &EntityExtractor::knownModels()
{
    static const QStringList models = {
        QStringLiteral("云驰 E5"), QStringLiteral("云驰 E7"), QStringLiteral("云驰 E7 Pro"), QStringLiteral("朔风 T3"),
        QStringLiteral("朔风 T5"), QStringLiteral("凌霄 L7"),  QStringLiteral("青屿 Q1"),     QStringLiteral("青屿 Q3"),
        QStringLiteral("远岫 R6"), QStringLiteral("铂岸 M8"),  QStringLiteral("墨川 V5"),     QStringLiteral("墨川 V7"),
    };
    return models;
}

QList<Entity> EntityExtractor::extract(const QString &text)
{
    Collector c(text);
    findVins(c);
    findNumbers(c);
    findPlates(c);
    findModels(c);
    findVersions(c);
    findCodes(c);
    return c.take();
}

#include "assistant/tspvocabulary.h"

#include <algorithm>

#include <QRegularExpression>

#include "knowledge/domainlexicon.h"

namespace TspVocabulary {

namespace {

QList<Keyword> kw(std::initializer_list<std::pair<const char16_t *, int>> list)
{
    QList<Keyword> out;
    for (const auto &[w, weight] : list)
        out.append({QString::fromUtf16(w), weight});
    return out;
}

bool containsAny(const QString &text, std::initializer_list<const char16_t *> words)
{
    for (const char16_t *w : words) {
        if (text.contains(QString::fromUtf16(w), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

const QRegularExpression &codePattern()
{
    // Project codes (E-1001 ...) and OBD/UDS trouble codes (P0562, U0100, B1A23 ...).
    static const QRegularExpression re(
        QStringLiteral("(?<![A-Za-z0-9])(?:[EAKUC]-?[0-9]{4}|[PBCU][0-3][0-9A-F]{3})(?![A-Za-z0-9])"),
        QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression &modelPattern()
{
    static const QRegularExpression re(QStringLiteral("云驰|朔风|凌霄|青屿|远岫|铂岸|墨川"));
    return re;
}

} // namespace

// The keyword tables keep several keywords to a line, by weight: one keyword a line would make
// them five times as long to read.
// clang-format off
const QList<Category> &categories()
{
    static const QList<Category> list = {
        {QStringLiteral("车机联网/4G信号"),
         kw({{u"车机没网", 4}, {u"没网", 3}, {u"没有网", 3}, {u"上不了网", 3}, {u"无网络", 3}, {u"网络异常", 2}, {u"断网", 2},
             {u"4g", 2}, {u"3g", 2}, {u"信号", 2}, {u"联网", 2}, {u"网速", 2}, {u"网络", 1}, {u"wifi", 1}, {u"热点", 2},
             {u"apn", 2}}),
         {}},
        {QStringLiteral("T-Box离线"),
         kw({{u"t-box", 3}, {u"tbox", 3}, {u"离线", 3}, {u"不在线", 3}, {u"显示不在线", 3}, {u"休眠", 2}, {u"12v", 2},
             {u"亏电", 2}, {u"蓄电池", 2}, {u"连不上车", 2}, {u"证书", 1}}),
         {}},
        {QStringLiteral("远程控制(远程解锁/空调/寻车)"),
         kw({{u"远程解锁", 4}, {u"远程锁车", 4}, {u"远程控制", 4}, {u"远控", 3}, {u"远程空调", 4}, {u"预约空调", 3},
             {u"空调", 1}, {u"寻车", 3}, {u"鸣笛", 2}, {u"闪灯", 2}, {u"解锁", 2}, {u"锁车", 2}, {u"远程", 1}}),
         QStringLiteral("E-10")},
        {QStringLiteral("APP登录与账号绑定"),
         kw({{u"登录", 3}, {u"登陆", 3}, {u"验证码", 3}, {u"验证吗", 2}, {u"密码", 2}, {u"账号", 2}, {u"帐号", 2},
             {u"绑定", 2}, {u"解绑", 3}, {u"注销", 3}, {u"家人授权", 3}, {u"共享车辆", 2}, {u"微信", 1}, {u"扫码", 1}}),
         QStringLiteral("A-20")},
        {QStringLiteral("数字钥匙(蓝牙/NFC)"),
         kw({{u"数字钥匙", 4}, {u"蓝牙钥匙", 4}, {u"手机钥匙", 4}, {u"钥匙", 2}, {u"nfc", 3}, {u"卡片", 2}, {u"蓝牙", 2},
             {u"ble", 2}, {u"分享钥匙", 3}}),
         QStringLiteral("K-30")},
        {QStringLiteral("OTA升级"),
         kw({{u"ota", 4}, {u"升级", 3}, {u"更新", 1}, {u"安装包", 2}, {u"升级包", 3}, {u"固件", 1}, {u"回滚", 2},
             {u"版本", 1}}),
         QStringLiteral("U-40")},
        {QStringLiteral("车辆定位/轨迹"),
         kw({{u"定位", 3}, {u"位置", 2}, {u"轨迹", 4}, {u"坐标", 2}, {u"被盗", 2}, {u"异常移动", 3}, {u"gps", 2},
             {u"gnss", 2}}),
         {}},
        {QStringLiteral("流量与SIM卡/eSIM"),
         kw({{u"流量", 3}, {u"esim", 4}, {u"sim", 3}, {u"实名", 3}, {u"套餐", 2}, {u"续费", 2}, {u"物联网卡", 3},
             {u"运营商", 2}, {u"iccid", 3}}),
         {}},
        {QStringLiteral("导航与地图"),
         kw({{u"导航", 4}, {u"地图", 3}, {u"carplay", 3}, {u"目的地", 2}, {u"发送到车", 3}, {u"路线", 2}, {u"限行", 2},
             {u"播报", 1}}),
         {}},
        {QStringLiteral("语音助手"),
         kw({{u"语音", 4}, {u"唤醒词", 3}, {u"误唤醒", 3}, {u"麦克风", 1}, {u"点歌", 2}, {u"识别不了", 1}}),
         {}},
        {QStringLiteral("充电预约与电池(新能源)"),
         kw({{u"充电", 4}, {u"预约充电", 4}, {u"电池", 2}, {u"续航", 2}, {u"soc", 2}, {u"v2l", 3}, {u"放电", 3},
             {u"充电桩", 3}, {u"充电枪", 3}, {u"快充", 2}, {u"慢充", 2}}),
         QStringLiteral("C-60")},
        {QStringLiteral("车况报告与故障码"),
         kw({{u"车况", 4}, {u"故障码", 4}, {u"故障灯", 3}, {u"报警", 1}, {u"胎压", 3}, {u"体检", 3}, {u"误报", 2},
             {u"仪表", 1}}),
         {}},
        {QStringLiteral("eCall/bCall救援"),
         kw({{u"ecall", 5}, {u"bcall", 5}, {u"sos", 4}, {u"救援", 4}, {u"事故", 3}, {u"拖车", 3}, {u"紧急呼叫", 4},
             {u"气囊", 2}, {u"碰撞", 2}}),
         {}},
        {QStringLiteral("远程诊断"),
         kw({{u"远程诊断", 5}, {u"诊断", 3}, {u"诊断报告", 4}, {u"日志", 1}, {u"检测", 1}}),
         {}},
        {QStringLiteral("车队/企业账号权限"),
         kw({{u"车队", 4}, {u"企业", 3}, {u"司机", 2}, {u"角色", 2}, {u"权限", 2}, {u"管理员", 2}, {u"租赁", 2},
             {u"openapi", 3}, {u"离职", 2}}),
         {}},
    };
    return list;
}
// clang-format on

QStringList categoryNames()
{
    QStringList names;
    for (const Category &c : categories())
        names << c.name;
    return names;
}

bool isCategory(const QString &name)
{
    return categoryNames().contains(name);
}

QList<CategoryScore> scoreCategories(const QString &text)
{
    QList<CategoryScore> scores;
    const QString lower = text.toLower();
    // Codes point at their category strongly: E-1001 is a remote-control code whatever else is said.
    QStringList codes;
    for (auto it = codePattern().globalMatch(text); it.hasNext();)
        codes << normalizeCode(it.next().captured(0));
    for (const Category &c : categories()) {
        int score = 0;
        for (const Keyword &k : c.keywords) {
            if (lower.contains(k.word))
                score += k.weight;
        }
        for (const QString &code : std::as_const(codes)) {
            if (!c.codePrefix.isEmpty() && code.startsWith(c.codePrefix))
                score += 5;
            else if (c.name == QStringLiteral("车况报告与故障码") && !code.contains(QLatin1Char('-')))
                score += 3; // an OBD/UDS trouble code
        }
        if (score > 0)
            scores.append({c.name, score});
    }
    std::stable_sort(scores.begin(), scores.end(),
                     [](const CategoryScore &a, const CategoryScore &b) { return a.score > b.score; });
    return scores;
}

QString normalizeCode(const QString &code)
{
    QString c = code.toUpper();
    c.remove(QLatin1Char(' '));
    if (c.size() == 6 && c.at(1) == QLatin1Char('-'))
        return c;
    if (c.size() != 5)
        return c;
    const QChar letter = c.at(0);
    const bool digitsOnly = std::all_of(c.begin() + 1, c.end(), [](QChar ch) { return ch.isDigit(); });
    const bool project =
        digitsOnly &&
        (letter == QLatin1Char('E') || letter == QLatin1Char('A') || letter == QLatin1Char('K') ||
         ((letter == QLatin1Char('U') || letter == QLatin1Char('C')) && c.at(1) > QLatin1Char('3')));
    if (project)
        c.insert(1, QLatin1Char('-'));
    return c;
}

bool hasDomainTerm(const QString &text)
{
    const QString lower = text.toLower();
    for (const Category &c : categories()) {
        for (const Keyword &k : c.keywords) {
            if (lower.contains(k.word))
                return true;
        }
    }
    if (containsAny(text, {u"车", u"app", u"vin", u"车架号", u"故障", u"报错", u"提示", u"失败", u"打不开",
                           u"用不了", u"没反应", u"4s", u"驰联"}))
        return true;
    return codePattern().match(text).hasMatch() || modelPattern().match(text).hasMatch();
}

bool onlyNamesTheCar(const QString &text)
{
    QString rest = text;
    rest.remove(modelPattern());
    const bool named = rest.size() != text.size() || text.contains(QStringLiteral("款"));
    static const QString filler = QStringLiteral("款年型版的是我车辆台号这那个了啊呀哦吧呢开");
    for (const QChar c : std::as_const(rest)) {
        if (c.isLetterOrNumber() && !(c.unicode() < 128) && !filler.contains(c))
            return false;
    }
    return named;
}

bool onlyNamesThePlace(const QString &text)
{
    if (meaningfulLength(text) > 12 || text.contains(u'?') || text.contains(u'？'))
        return false;
    if (!containsAny(text, {u"停车场", u"车库", u"地库", u"地下",   u"小区", u"山区", u"山里", u"郊区",
                            u"农村",   u"村里", u"高速", u"服务区", u"隧道", u"露天", u"室外", u"户外",
                            u"家门口", u"楼下", u"车位", u"路边",   u"外地", u"国外", u"境外"}))
        return false;
    // A word of a problem makes it one ("地库里信号不好", "在小区就连不上").
    for (const QChar c : text) {
        if (c == u'不' || c == u'没' || c == u'未' || c == u'吗')
            return false;
    }
    return !containsAny(text, {u"失败", u"错误", u"提示", u"报错", u"故障", u"坏", u"离线", u"掉线", u"断",
                               u"慢", u"卡", u"用不了", u"怎么", u"为什么", u"能", u"会"});
}

bool isFollowUp(const QString &text)
{
    return containsAny(text, {u"还是不行", u"还不行",   u"也不行",   u"不行啊",   u"没用",     u"没有用",
                              u"不管用",   u"试过了",   u"都试过",   u"其他方法", u"别的方法", u"其他办法",
                              u"别的办法", u"还有其他", u"还有别的", u"还有吗",   u"然后呢",   u"然后怎么",
                              u"接下来",   u"还是一样", u"依然",     u"仍然",     u"照样",     u"刚才",
                              u"上面说的", u"那怎么办", u"还是没"});
}

bool isEmergency(const QString &text)
{
    return containsAny(text, {u"事故", u"车祸", u"碰撞", u"撞车", u"追尾", u"冒烟", u"起火", u"着火", u"自燃",
                              u"火灾", u"气囊弹出", u"受伤", u"被困", u"困在车", u"救命", u"出血", u"昏迷"});
}

int meaningfulLength(const QString &text)
{
    int n = 0;
    for (const QChar c : text) {
        if (c.isLetterOrNumber())
            ++n;
    }
    return n;
}

SmallTalk smallTalk(const QString &text)
{
    QString t;
    for (const QChar c : text) {
        if (c.isLetterOrNumber())
            t += c.toLower();
    }
    if (t.isEmpty() || t.size() > 16)
        return SmallTalk::None;
    // The words are the search's (DomainLexicon::conversationalWords), so the bot never hands off
    // what the search calls small talk ("拜拜", "问题已经解决了"); longest first, so that "好的"
    // is taken before "好".
    const auto longestFirst = [](QStringList words) {
        std::stable_sort(words.begin(), words.end(),
                         [](const QString &a, const QString &b) { return a.size() > b.size(); });
        return words;
    };
    static const QStringList greetings = longestFirst(DomainLexicon::greetingWords());
    static const QStringList thanks = longestFirst(DomainLexicon::thanksWords());
    static const QStringList acks =
        longestFirst(DomainLexicon::acknowledgementWords() + DomainLexicon::closingWords());
    static const QStringList thanksAndAcks = longestFirst(thanks + acks);
    static const QStringList all = longestFirst(greetings + thanksAndAcks);
    // Particles, the addressee and the speaker around them ("好的谢谢你", "好的呀", "那我再试试").
    static const QString particles = QStringLiteral("啊呀哦啦哈吧呢嘛你您了那我");
    auto only = [&t](const QStringList &words) {
        // The whole message is made of these words (e.g. "你好你好", "好的谢谢" counts as thanks).
        qsizetype at = 0;
        bool said = false; // at least one of the words, not particles alone
        while (at < t.size()) {
            const auto word = std::find_if(words.cbegin(), words.cend(), [&t, at](const QString &w) {
                return QStringView(t).sliced(at).startsWith(w);
            });
            if (word != words.cend()) {
                at += word->size();
                said = true;
            } else if (particles.contains(t.at(at))) {
                ++at;
            } else {
                return false;
            }
        }
        return said;
    };
    if (only(greetings))
        return SmallTalk::Greeting;
    if (only(acks))
        return SmallTalk::Acknowledgement;
    if (only(thanksAndAcks) || only(all)) {
        const bool thanked = std::any_of(thanks.cbegin(), thanks.cend(), [&t](const QString &w) {
            return w != QStringLiteral("you") && t.contains(w); // "you" only with "thank"
        });
        return thanked ? SmallTalk::Thanks : SmallTalk::Greeting;
    }
    return SmallTalk::None;
}

} // namespace TspVocabulary

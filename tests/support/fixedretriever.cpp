#include "fixedretriever.h"

#include <QSet>

namespace {

bool isCjk(QChar c)
{
    return c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF;
}

QSet<QString> terms(const QString &text)
{
    QSet<QString> out;
    const QString t = text.toLower();
    QString word;
    auto flush = [&] {
        if (word.size() >= 2)
            out.insert(word);
        word.clear();
    };
    for (qsizetype i = 0; i < t.size(); ++i) {
        const QChar c = t.at(i);
        if (isCjk(c)) {
            flush();
            if (i + 1 < t.size() && isCjk(t.at(i + 1)))
                out.insert(t.mid(i, 2));
        } else if (c.isLetterOrNumber() || c == QLatin1Char('-')) {
            word += c;
        } else {
            flush();
        }
    }
    flush();
    return out;
}

} // namespace

FixedRetriever::FixedRetriever(QList<KnowledgeEntry> entries, double answerableScore)
    : m_entries(std::move(entries))
    , m_answerableScore(answerableScore)
{}

KnowledgeSearchResult FixedRetriever::search(const QString &query, int topK) const
{
    m_queries << query;
    KnowledgeSearchResult result;
    result.query = query;
    const QSet<QString> q = terms(query);
    for (const KnowledgeEntry &e : m_entries) {
        const QSet<QString> doc =
            terms(e.title + QLatin1Char(' ') + e.symptoms.join(QLatin1Char(' ')) + QLatin1Char(' ') +
                  e.cause + QLatin1Char(' ') + e.tags.join(QLatin1Char(' ')));
        double score = 0;
        for (const QString &t : q) {
            if (doc.contains(t))
                score += t.at(0).unicode() < 0x80 ? 2.0 : 1.0;
        }
        if (score > 0)
            result.hits.append({e, score});
    }
    std::stable_sort(result.hits.begin(), result.hits.end(),
                     [](const KnowledgeHit &a, const KnowledgeHit &b) { return a.score > b.score; });
    if (result.hits.size() > topK)
        result.hits.resize(topK);
    result.answerable = !result.hits.isEmpty() && result.hits.first().score >= m_answerableScore;
    return result;
}

KnowledgeEntry FixedRetriever::entry(const QString &id, const QString &title, const QString &category,
                                     const QStringList &symptoms, const QString &cause,
                                     const QString &solution, const QStringList &tags)
{
    KnowledgeEntry e;
    e.id = id;
    e.title = title;
    e.category = category;
    e.vehicleModels = {QStringLiteral("全系车型")};
    e.symptoms = symptoms;
    e.cause = cause;
    e.solution = solution;
    e.tags = tags;
    e.updatedAt = QStringLiteral("2026-01-20T10:00:00+08:00");
    return e;
}

QList<KnowledgeEntry> FixedRetriever::sampleEntries()
{
    return {
        entry(
            QStringLiteral("KB-0038"), QStringLiteral("远程解锁提示 E-1001 车辆不在线"),
            QStringLiteral("远程控制(远程解锁/空调/寻车)"),
            {QStringLiteral("远程开锁报E-1001"), QStringLiteral("APP提示车辆不在线无法操作"),
             QStringLiteral("一点远控就说车辆离线")},
            QStringLiteral(
                "E-1001 表示平台判断 T-Box 当前不在线，原因可能是深度休眠、12V 亏电、无信号或 T-Box 故障。"),
            QStringLiteral(
                "1. 查看 APP 车辆卡片的“最后在线时间”。\n2. 超过 7 天未用车：属深度休眠，上车启动即可恢复。\n"
                "3. 其他情况按“T-Box离线”逐项排查（亏电、地库、服务到期、硬件故障）。\n4. "
                "近距离可使用蓝牙钥匙开门。"),
            {QStringLiteral("E-1001"), QStringLiteral("车辆离线"), QStringLiteral("远程解锁")}),
        entry(
            QStringLiteral("KB-0281"), QStringLiteral("信号弱时远程解锁一直转圈最终失败"),
            QStringLiteral("远程控制(远程解锁/空调/寻车)"),
            {QStringLiteral("远程开门一直转圈"), QStringLiteral("点了开锁没反应最后显示失败"),
             QStringLiteral("停在地下车库远控很久才有结果")},
            QStringLiteral("车辆所在位置蜂窝信号弱（地库、山区），指令下发和结果回传丢包，多次重传后失败。"),
            QStringLiteral("1. 在 APP 车辆详情查看信号强度图标，低于 1 格时远控成功率明显下降。\n"
                           "2. 靠近车辆时建议改用蓝牙数字钥匙（不依赖网络）。\n3. "
                           "若常用停车位信号差，可反馈地址由运营商评估补点。"),
            {QStringLiteral("远程解锁"), QStringLiteral("信号弱"), QStringLiteral("地库"),
             QStringLiteral("转圈")}),
        entry(
            QStringLiteral("KB-0180"), QStringLiteral("NFC 卡片钥匙刷门把手没反应，提示 K-3015“卡片未激活”"),
            QStringLiteral("数字钥匙(蓝牙/NFC)"),
            {QStringLiteral("卡片钥匙刷了没反应"), QStringLiteral("新买的NFC卡开不了门"),
             QStringLiteral("车机提示K-3015")},
            QStringLiteral("新卡或补办的 NFC 卡需要先在车内完成“添加钥匙卡”激活，未激活卡片不会被车辆识别。"),
            QStringLiteral("1. 使用已有钥匙上车并上电。\n2. 车机【设置】-【钥匙管理】-【添加 NFC "
                           "卡】，按提示将卡片放在 NFC 感应区。\n"
                           "3. 听到提示音且车机显示“添加成功”后，下车刷门把手测试。\n4. 每车最多 4 张卡。"),
            {QStringLiteral("NFC卡"), QStringLiteral("K-3015"), QStringLiteral("激活"),
             QStringLiteral("卡片钥匙")}),
        entry(QStringLiteral("KB-0008"),
              QStringLiteral("恢复出厂设置后车机显示4G但在线应用全部提示“网络异常”"),
              QStringLiteral("车机联网/4G信号"),
              {QStringLiteral("车机右上角有4G图标但是音乐、天气都打不开"),
               QStringLiteral("恢复出厂以后车机就没网了"),
               QStringLiteral("在线应用提示“网络异常，请稍后重试”")},
              QStringLiteral("车机恢复出厂设置时 APN 配置被清空，无法建立数据连接。"),
              QStringLiteral("1. 进入车机【设置】-【网络与连接】-【移动网络】-【接入点名称(APN)】。\n"
                             "2. 点击右上角“重置为默认设置”，确认列表中出现“CL-IVI”且已选中。\n"
                             "3. 保存后关闭再打开移动数据开关，约 30 秒后测试在线音乐。\n4. 仍无法上网请反馈 "
                             "VIN 给二线。"),
              {QStringLiteral("APN"), QStringLiteral("恢复出厂"), QStringLiteral("车机无网")}),
        entry(QStringLiteral("KB-0004"), QStringLiteral("升级包校验失败 U-4020"), QStringLiteral("OTA升级"),
              {QStringLiteral("下载完提示校验失败"), QStringLiteral("U-4020"),
               QStringLiteral("升级包签名错误")},
              QStringLiteral("下载过程中数据损坏或缓存分区异常，升级包签名/哈希校验不通过。"),
              QStringLiteral("1. 车机升级页选择“删除安装包并重新下载”。\n2. 仍失败：重启车机后再下载。\n3. "
                             "连续失败提交 VIN 给二线检查缓存分区。"),
              {QStringLiteral("U-4020"), QStringLiteral("校验失败"), QStringLiteral("签名")}),
        entry(QStringLiteral("KB-0066"), QStringLiteral("发生事故气囊弹出后 eCall 自动呼叫流程说明"),
              QStringLiteral("eCall/bCall救援"),
              {QStringLiteral("出事故了 ecall 自动打电话了"), QStringLiteral("气囊弹出后车里有人说话"),
               QStringLiteral("碰撞后救援中心来电")},
              QStringLiteral("气囊起爆信号触发 eCall，T-Box 自动拨打救援中心并发送 MSD（位置、乘员数）。"),
              QStringLiteral("1. 保持通话，告知坐席人员伤情与位置。\n2. 如无法说话，坐席会根据 MSD "
                             "位置派出救援。\n3. 事后可在 APP 查看救援记录。"),
              {QStringLiteral("eCall"), QStringLiteral("自动呼叫"), QStringLiteral("气囊"),
               QStringLiteral("MSD")}),
    };
}

void FixedRetriever::prepare(const QStringList &queries, QObject *context, std::function<void()> ready)
{
    m_prepared << queries;
    if (!m_deferPrepare) {
        ready();
        return;
    }
    m_deferred.append({context, std::move(ready)});
}

int FixedRetriever::releasePrepared()
{
    int ran = 0;
    for (const Deferred &d : std::exchange(m_deferred, {})) {
        if (d.context) {
            d.ready();
            ++ran;
        }
    }
    return ran;
}

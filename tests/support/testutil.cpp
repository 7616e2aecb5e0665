#include "testutil.h"

#include <QFile>

namespace TestUtil {

QString sourceDir() { return qEnvironmentVariable("TSP_SOURCE_DIR"); }
QString sharedDir() { return qEnvironmentVariable("TSP_SHARED_DIR"); }
QString appBinary() { return qEnvironmentVariable("TSP_BINARY"); }

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

} // namespace TestUtil

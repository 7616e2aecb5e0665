#pragma once

#include <QByteArray>
#include <QString>

// Paths the tests need, from the environment ctest sets (see tests/CMakeLists.txt).
namespace TestUtil {

QString sourceDir();     // the repository
QString sharedDir();     // ../shared beside the repository
QString appBinary();     // the built tsp-assistant
QByteArray readFile(const QString &path);

} // namespace TestUtil

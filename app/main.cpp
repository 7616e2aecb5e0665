#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tsp-assistant"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TSP_VERSION));
    QTextStream(stdout) << "tsp-assistant " << QCoreApplication::applicationVersion() << Qt::endl;
    return 0;
}

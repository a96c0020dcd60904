#include "Commands.h"

#include <QCoreApplication>

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pitwall"));
    std::vector<std::string> args(argv + 1, argv + argc);
    return pitwall::runCommand(args);
}

#pragma once

#include "StoreHealth.h"

#include <QDialog>

class QLabel;

namespace pitwall {

// Both stores in detail (state, server, version, schema, login, round trip), kept up to date
// while open: File › Connections, or a click on a store on the home page.
class ConnectionsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectionsDialog(QWidget *parent = nullptr);
    void showHealth(const StoreHealth &health);
    QLabel *postgresState() const { return m_pgState; }

Q_SIGNALS:
    void connectRequested(); // "Connect to other stores…"

private:
    QLabel *m_pgState = nullptr, *m_pgServer = nullptr, *m_pgVersion = nullptr,
           *m_pgSchema = nullptr, *m_pgRole = nullptr, *m_pgRtt = nullptr;
    QLabel *m_redisState = nullptr, *m_redisServer = nullptr, *m_redisVersion = nullptr,
           *m_redisRtt = nullptr;
};

} // namespace pitwall

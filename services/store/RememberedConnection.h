#pragma once

#include "ConnectionSettings.h"

#include <QString>

namespace pitwall {

// The last connection the console used: the addresses in the settings file, the passwords in
// the system keychain (without a keychain they are not kept at all: the dialog asks again).
class RememberedConnection {
public:
    // Returns what went wrong with the keychain, or an empty string.
    static QString remember(const ConnectionSettings &settings);
    // `base` with the remembered addresses and passwords.
    static ConnectionSettings recall(ConnectionSettings base);
};

} // namespace pitwall

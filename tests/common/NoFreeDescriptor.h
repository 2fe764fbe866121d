#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

// Lowers this process's RLIMIT_NOFILE so that the next descriptor it opens is one too many
// (EMFILE), until restore() or destruction. Descriptors made before keep working.
class NoFreeDescriptor
{
public:
    NoFreeDescriptor()
    {
        if (::getrlimit(RLIMIT_NOFILE, &m_saved) != 0)
            return;
        const int lowestFree = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (lowestFree < 0)
            return;
        ::close(lowestFree);
        rlimit none = m_saved;
        none.rlim_cur = rlim_t(lowestFree);
        m_set = ::setrlimit(RLIMIT_NOFILE, &none) == 0;
    }
    ~NoFreeDescriptor() { restore(); }
    NoFreeDescriptor(const NoFreeDescriptor &) = delete;
    NoFreeDescriptor &operator=(const NoFreeDescriptor &) = delete;

    bool isSet() const { return m_set; }
    bool restore()
    {
        if (!m_set)
            return true;
        m_set = false;
        return ::setrlimit(RLIMIT_NOFILE, &m_saved) == 0;
    }

private:
    rlimit m_saved{};
    bool m_set = false;
};

/* A stand-in for Windows' bcryptprimitives.dll, for scripts/smoke-windows only: Debian
 * bookworm's wine (8.0) has no bcryptprimitives.dll, which Wine gained in 8.13, and Rust's
 * Windows standard library (and getrandom 0.3+) import ProcessPrng from it. This ProcessPrng
 * fills the buffer from RtlGenRandom (advapi32's SystemFunction036), which Wine 8.0 has.
 * Never shipped: it is built next to the test binary in a temporary directory. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance; (void)reason; (void)reserved;
    return TRUE;
}

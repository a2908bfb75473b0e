using System;
using System.Runtime.InteropServices;

namespace LeakySocket
{
    /// <summary>
    /// The native buffer AcceptEx writes the local and remote addresses into. Not used by the storm:
    /// it is here so the build shows OVL005: a lazily allocated block that Dispose forgets.
    /// </summary>
    public sealed class LeakyAcceptAddresses : IDisposable
    {
        private const int AddressLength = 16 + 16;

        private IntPtr m_addresses;

        // BUG (OVL005): allocated on first use and never returned with Marshal.FreeHGlobal.
        public IntPtr Addresses
        {
            get
            {
                if (m_addresses == IntPtr.Zero)
                {
                    m_addresses = Marshal.AllocHGlobal(2 * AddressLength);
                }

                return m_addresses;
            }
        }

        public void Dispose()
        {
            // Forgets m_addresses: nothing in the type frees it.
        }
    }
}

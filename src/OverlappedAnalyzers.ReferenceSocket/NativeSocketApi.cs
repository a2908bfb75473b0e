using System;
using System.Runtime.InteropServices;

namespace OverlappedAnalyzers.ReferenceSocket
{
    /// <summary>Chooses the real native layer where there is one.</summary>
    public static class NativeSocketApi
    {
        /// <summary>
        /// The Win32 implementation on Windows. Elsewhere there are no completion ports: use
        /// <see cref="Simulation.SimulatedKernel"/> explicitly.
        /// </summary>
        public static INativeSocketApi ForCurrentPlatform()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return new Win32.Win32NativeSocketApi();
            }

            throw new PlatformNotSupportedException("I/O completion ports exist only on Windows; use Simulation.SimulatedKernel.");
        }
    }
}

namespace OpenChami.Core.Model;

// Enum member names are the wire spelling (spec/smd.md §3.7); input is matched case-insensitively.

/// <summary>HMS component state.</summary>
public enum HmsState { Unknown, Empty, Populated, Off, On, Standby, Halt, Ready }

/// <summary>HMS component flag.</summary>
public enum HmsFlag { Unknown, OK, Warning, Alert, Locked }

/// <summary>Processor architecture of a component, as SMD spells it.</summary>
public enum HmsArch { X86, ARM, Other, UNKNOWN }

/// <summary>Hardware class (Cray EX cabinet class).</summary>
public enum HmsClass { River, Mountain, Hill }

/// <summary>High-speed network type.</summary>
public enum HmsNetType { Sling, Infiniband, Ethernet, OEM, None }

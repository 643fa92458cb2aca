namespace OpenChami.Core.Security;

/// <summary>What a token may do. Each scope includes the ones before it: admin ⊇ write ⊇ read.</summary>
public enum ChamiScope { None = 0, Read = 1, Write = 2, Admin = 3 }

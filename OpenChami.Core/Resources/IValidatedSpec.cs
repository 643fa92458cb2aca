namespace OpenChami.Core.Resources;

/// <summary>A spec that can say what is wrong with itself (ChamiException.Invalid), before anything is stored.</summary>
public interface IValidatedSpec
{
    void Validate();
}

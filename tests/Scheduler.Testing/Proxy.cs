using System.Reflection;

namespace Scheduler.Testing;

/// <summary>An implementation of <typeparamref name="T"/> whose every member is answered by one function.</summary>
public class Proxy<T> : DispatchProxy where T : class
{
    private Func<MethodInfo, object?[]?, object?> _answer = (method, _) => throw new NotSupportedException(method.Name);

    public static T Create(Func<MethodInfo, object?[]?, object?> answer)
    {
        var proxy = DispatchProxy.Create<T, Proxy<T>>();
        ((Proxy<T>)(object)proxy)._answer = answer;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => _answer(targetMethod!, args);
}

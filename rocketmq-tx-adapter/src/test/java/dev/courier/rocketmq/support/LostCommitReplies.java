package dev.courier.rocketmq.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Fault injection: a data source whose next commit, once {@linkplain #armNextCommit() armed}, commits for real and
 * then fails as if the database's reply had been lost on the network (SQLState 08006). The client cannot tell this
 * from a commit that never reached the database.
 */
public final class LostCommitReplies {

    private final DataSource dataSource;
    private final AtomicBoolean armed = new AtomicBoolean();

    public LostCommitReplies(DataSource target) {
        this.dataSource = proxy(
                DataSource.class,
                target,
                (method, result) ->
                        method.getName().equals("getConnection") ? connection((Connection) result) : result);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public void armNextCommit() {
        armed.set(true);
    }

    private Connection connection(Connection target) {
        return proxy(Connection.class, target, (method, result) -> {
            if (method.getName().equals("commit") && armed.compareAndSet(true, false)) {
                throw new SQLException("An I/O error occurred while receiving the commit's reply (injected)", "08006");
            }
            return result;
        });
    }

    private interface AfterCall {
        Object apply(Method method, Object result) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, AfterCall after) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return after.apply(method, result);
        });
        return type.cast(proxy);
    }
}

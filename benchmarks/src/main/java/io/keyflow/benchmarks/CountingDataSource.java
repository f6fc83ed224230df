package io.keyflow.benchmarks;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source that counts the SQL statements run through it (each row of a JDBC batch counts as one): a figure
 * that, unlike a time, does not move with the machine's load, and says what a task costs the database.
 */
final class CountingDataSource implements DataSource {

	private static final Set<String> RUNS = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
			"addBatch");

	private final DataSource delegate;

	private final LongAdder statements = new LongAdder();

	CountingDataSource(DataSource delegate) {
		this.delegate = delegate;
	}

	/** @return the statements run so far */
	long statements() {
		return this.statements.sum();
	}

	@Override
	public Connection getConnection() throws SQLException {
		return counting(this.delegate.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return counting(this.delegate.getConnection(username, password));
	}

	private Connection counting(Connection connection) {
		return proxy(Connection.class, connection, (method, result) -> {
			if (result instanceof PreparedStatement statement) {
				return proxy(PreparedStatement.class, statement, this::count);
			}
			if (result instanceof Statement statement) {
				return proxy(Statement.class, statement, this::count);
			}
			return result;
		});
	}

	private Object count(Method method, Object result) {
		// a batch counts by its rows (addBatch), not by its executeBatch
		if (RUNS.contains(method.getName())) {
			this.statements.increment();
		}
		return result;
	}

	private interface AfterCall {

		Object after(Method method, Object result);

	}

	private static <T> T proxy(Class<T> type, T target, AfterCall after) {
		InvocationHandler handler = (proxy, method, args) -> {
			Object result;
			try {
				result = method.invoke(target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
			return after.after(method, result);
		};
		return type.cast(Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] { type },
				handler));
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.delegate.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.delegate.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.delegate.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.delegate.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.delegate.getParentLogger();
	}

	@Override
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return this.delegate.isWrapperFor(iface);
	}

}

package io.keyflow.client;

import java.util.List;

/**
 * One page of a list answer.
 *
 * @param items the items of this page
 * @param offset how many items come before this page
 * @param limit the page size the server used
 * @param hasMore whether more items follow
 * @param <T> the item type
 */
public record Page<T>(List<T> items, int offset, int limit, boolean hasMore) {

	public Page {
		items = List.copyOf(items);
	}

}

/* pipe.h - a bounded queue of batches between the thread that parses a file
 * (producer) and the thread that owns the database (consumer).  Memory stays
 * bounded: PK_PIPE_BATCHES batches exist, reused in turn. */
#ifndef PK_PIPE_H
#define PK_PIPE_H

#include <pthread.h>
#include "batch.h"

#define PK_PIPE_BATCHES 4

struct pk_pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pk_batch batch[PK_PIPE_BATCHES];
	int queue[PK_PIPE_BATCHES];   /* full batches, oldest first */
	int nqueued;
	int is_free[PK_PIPE_BATCHES];
	int producer_done;
	int aborted;                  /* the consumer failed: stop producing */
};

enum pk_status pk_pipe_init(struct pk_pipe *p);
void pk_pipe_destroy(struct pk_pipe *p);

/* Producer: an empty batch, waiting for one; NULL once aborted. */
struct pk_batch *pk_pipe_take(struct pk_pipe *p);
/* Producer: hands a batch (full or last) to the consumer. */
void pk_pipe_push(struct pk_pipe *p, struct pk_batch *b);
/* Producer: no more batches will come. */
void pk_pipe_done(struct pk_pipe *p);

/* Consumer: the oldest full batch, waiting for one; NULL when the producer
 * is done and nothing is left. */
struct pk_batch *pk_pipe_pop(struct pk_pipe *p);
/* Consumer: gives a batch back for reuse. */
void pk_pipe_give_back(struct pk_pipe *p, struct pk_batch *b);
/* Consumer: stop the producer (it sees NULL from pk_pipe_take). */
void pk_pipe_abort(struct pk_pipe *p);

#endif
